import type { IncomingMessage } from 'node:http';
import { sessionMiddleware, type SessionOptions } from '@sess/koa';
import Koa from 'koa';
import { page } from './page.js';
import { pageAfter, reportedStatus } from './reported-status.js';

/**
 * The demo app on Koa: a visit counter, a login that renews the session and a logout that
 * purges it. Each action redirects to the page with the status its request ended in
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
  app.use(sessionMiddleware(options));

  // Koa has no router of its own; four routes do not need one.
  app.use(async (ctx) => {
    switch (`${ctx.method} ${ctx.path}`) {
      case 'GET /':
        ctx.type = 'html';
        ctx.body = page(ctx.session, reportedStatus(ctx.query.status));
        return;
      case 'POST /counter':
        ctx.session.updateOr('counter', 1, (n: number) => n + 1);
        return seeOther(ctx);
      case 'POST /login': {
        const user = (await readForm(ctx.req)).get('user')?.trim();
        if (!user) return ctx.throw(400, 'A user name is required'); // `return` narrows user to a string
        ctx.session.insert('user', user);
        // New privileges, new session key: an attacker who planted the old cookie gains nothing.
        ctx.session.renew();
        return seeOther(ctx);
      }
      case 'POST /logout':
        // Deletes the state server-side and clears the cookie.
        ctx.session.purge();
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
