import { sessionMiddleware, type SessionOptions, type SessionVariables } from '@sess/hono';
import { Hono } from 'hono';
import { page } from './page.js';

/**
 * The demo app on Hono: a visit counter, a login that renews the session and a logout that
 * purges it. Exported so tests (and browser tests) can serve it on any port, or call
 * `app.request()` without a server. `heading` names the runtime in the Bun, Deno and Workers examples.
 *
 * @example
 * ```ts
 * serve({ fetch: createApp({ store: new CookieSessionStore(), key: Key.generate() }).fetch, port: 3000 })
 * ```
 */
export function createApp(options: SessionOptions, heading?: string): Hono<{ Variables: SessionVariables }> {
  const app = new Hono<{ Variables: SessionVariables }>();
  app.use(sessionMiddleware(options));

  app.get('/', (c) => c.html(page(c.get('session'), heading)));

  app.post('/counter', (c) => {
    c.get('session').updateOr('counter', 1, (n: number) => n + 1);
    return c.redirect('/', 303);
  });

  app.post('/login', async (c) => {
    const { user } = await c.req.parseBody();
    const name = typeof user === 'string' ? user.trim() : '';
    if (!name) return c.text('A user name is required', 400);
    const session = c.get('session');
    session.insert('user', name);
    // New privileges, new session key: an attacker who planted the old cookie gains nothing.
    session.renew();
    return c.redirect('/', 303);
  });

  app.post('/logout', (c) => {
    // Deletes the state server-side and clears the cookie.
    c.get('session').purge();
    return c.redirect('/', 303);
  });

  return app;
}
