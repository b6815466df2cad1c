import { sessionMiddleware, type SessionOptions, type SessionVariables } from '@sess/hono';
import { Hono } from 'hono';
import { page } from './page.js';
import { pageAfter, reportedStatus } from './reported-status.js';
import { ownerDetails, yourSessions } from './your-sessions.js';

/**
 * The demo app on Hono: a visit counter, a login that renews the session and a logout that
 * purges it, and "Your sessions": the signed-in user's devices, each of which can be signed out. Each action redirects to the page with the status its request ended in
 * (`/?status=changed`), which the page shows after validating it. Exported so tests (and
 * browser tests) can serve it on any port, or call `app.request()` without a server.
 * `heading` names the runtime in the Bun, Deno and Workers examples.
 *
 * @example
 * ```ts
 * serve({ fetch: createApp({ store: new CookieSessionStore(), key: Key.generate() }).fetch, port: 3000 })
 * ```
 */
export function createApp(options: SessionOptions, heading?: string): Hono<{ Variables: SessionVariables }> {
  const app = new Hono<{ Variables: SessionVariables }>();
  const sessions = sessionMiddleware(options);
  app.use(sessions);

  app.get('/', async (c) => {
    const devices = await yourSessions(sessions.owners, c.get('session'), options.store);
    return c.html(page(c.get('session'), reportedStatus(c.req.queries('status')), heading, devices));
  });

  app.post('/counter', (c) => {
    const session = c.get('session');
    session.updateOr('counter', 1, (n: number) => n + 1);
    return c.redirect(pageAfter(session.status), 303);
  });

  app.post('/login', async (c) => {
    const { user } = await c.req.parseBody();
    const name = typeof user === 'string' ? user.trim() : '';
    if (!name) return c.text('A user name is required', 400);
    const session = c.get('session');
    session.insert('user', name);
    // Ties the session to the user, so it shows in their "Your sessions" and can be signed out.
    session.setOwner(name, ownerDetails(c.req.header('user-agent')));
    // New privileges, new session key: an attacker who planted the old cookie gains nothing.
    session.renew();
    return c.redirect(pageAfter(session.status), 303);
  });

  app.post('/logout', (c) => {
    // Deletes the state server-side and clears the cookie.
    const session = c.get('session');
    session.purge();
    return c.redirect(pageAfter(session.status), 303);
  });

  // "Sign out" on another device's row: only ever one of this user's own sessions.
  app.post('/sessions/revoke', async (c) => {
    const { id } = await c.req.parseBody();
    const session = c.get('session');
    if (typeof id === 'string') await sessions.owners.revoke(session, id);
    return c.redirect(pageAfter(session.status), 303);
  });

  app.post('/sessions/revoke-others', async (c) => {
    const session = c.get('session');
    await sessions.owners.revokeOthers(session);
    return c.redirect(pageAfter(session.status), 303);
  });

  return app;
}
