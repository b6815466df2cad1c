import type { IncomingMessage } from 'node:http';
import { sessionMiddleware, type SessionOptions } from '@sess/koa';
import Koa from 'koa';
import { page } from './page.js';
import { pageAfter, reportedStatus } from './reported-status.js';
import { ownerDetails, yourSessions } from './your-sessions.js';

/**
 * The demo app on Koa: a visit counter, a login that renews the session and a logout that
 * purges it, and "Your sessions": the signed-in user's devices, each of which can be signed out. Each action redirects to the page with the status its request ended in
 * (`/?status=changed`), which the page shows after validating it. Exported so tests (and
 * browser tests) can start it on any port.
 *
 * @example
 * ```ts
 * createApp({ store: new CookieSessionStore(), key: Key.generate() }).listen(3000)
 * ```
 */
export function createApp(options: SessionOptions): Koa {
  const app = new Koa();
  const sessions = sessionMiddleware(options);
  app.use(sessions);

  // Koa has no router of its own; six routes do not need one.
  app.use(async (ctx) => {
    switch (`${ctx.method} ${ctx.path}`) {
      case 'GET /': {
        const devices = await yourSessions(sessions.owners, ctx.session, options.store);
        ctx.type = 'html';
        ctx.body = page(ctx.session, reportedStatus(ctx.query.status), devices);
        return;
      }
      case 'POST /counter':
        ctx.session.updateOr('counter', 1, (n: number) => n + 1);
        return seeOther(ctx);
      case 'POST /login': {
        const user = (await readForm(ctx.req)).get('user')?.trim();
        if (!user) return ctx.throw(400, 'A user name is required'); // `return` narrows user to a string
        ctx.session.insert('user', user);
        // Ties the session to the user, so it shows in their "Your sessions" and can be signed out.
        ctx.session.setOwner(user, ownerDetails(ctx.get('user-agent')));
        // New privileges, new session key: an attacker who planted the old cookie gains nothing.
        ctx.session.renew();
        return seeOther(ctx);
      }
      case 'POST /logout':
        // Deletes the state server-side and clears the cookie.
        ctx.session.purge();
        return seeOther(ctx);
      case 'POST /sessions/revoke': {
        // "Sign out" on another device's row: only ever one of this user's own sessions.
        const id = (await readForm(ctx.req)).get('id');
        if (id !== null) await sessions.owners.revoke(ctx.session, id);
        return seeOther(ctx);
      }
      case 'POST /sessions/revoke-others':
        await sessions.owners.revokeOthers(ctx.session);
        return seeOther(ctx);
    }
  });

  return app;
}

function seeOther(ctx: Koa.Context): void {
  ctx.redirect(pageAfter(ctx.session.status));
  ctx.status = 303;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}
