import { sessionPlugin, type SessionOptions } from '@sess/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { page } from './page.js';
import { pageAfter, reportedStatus } from './reported-status.js';
import { ownerDetails, yourSessions } from './your-sessions.js';

/**
 * The demo app on Fastify: a visit counter, a login that renews the session and a logout that
 * purges it, and "Your sessions": the signed-in user's devices, each of which can be signed out
 * (through `app.sessionOwners`, which the plugin decorates). Each action redirects to the page with the status its request ended in
 * (`/?status=changed`), which the page shows after validating it. Exported so tests (and
 * browser tests) can start it on any port; the plugin loads on `listen` (or `ready`).
 *
 * @example
 * ```ts
 * await createApp({ store: new CookieSessionStore(), key: Key.generate() }).listen({ port: 3000 })
 * ```
 */
export function createApp(options: SessionOptions): FastifyInstance {
  const app = Fastify();
  app.register(sessionPlugin, options);
  // HTML forms post urlencoded bodies, which Fastify leaves to a plugin; this one line is enough here.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 10_000 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get<{ Querystring: { status?: string | string[] } }>('/', async (req, reply) => {
    const devices = await yourSessions(app.sessionOwners, req.session, options.store);
    return reply.type('text/html; charset=utf-8').send(page(req.session, reportedStatus(req.query.status), devices));
  });

  app.post('/counter', (req, reply) => {
    req.session.updateOr('counter', 1, (n: number) => n + 1);
    return reply.redirect(pageAfter(req.session.status), 303);
  });

  app.post<{ Body: { user?: unknown } }>('/login', (req, reply) => {
    const user = typeof req.body?.user === 'string' ? req.body.user.trim() : '';
    if (!user) return reply.code(400).type('text/plain').send('A user name is required');
    req.session.insert('user', user);
    // Ties the session to the user, so it shows in their "Your sessions" and can be signed out.
    req.session.setOwner(user, ownerDetails(req.headers['user-agent']));
    // New privileges, new session key: an attacker who planted the old cookie gains nothing.
    req.session.renew();
    return reply.redirect(pageAfter(req.session.status), 303);
  });

  app.post('/logout', (req, reply) => {
    // Deletes the state server-side and clears the cookie.
    req.session.purge();
    return reply.redirect(pageAfter(req.session.status), 303);
  });

  // "Sign out" on another device's row: only ever one of this user's own sessions.
  app.post<{ Body: { id?: unknown } }>('/sessions/revoke', async (req, reply) => {
    const id = req.body?.id;
    if (typeof id === 'string') await app.sessionOwners.revoke(req.session, id);
    return reply.redirect(pageAfter(req.session.status), 303);
  });

  app.post('/sessions/revoke-others', async (req, reply) => {
    await app.sessionOwners.revokeOthers(req.session);
    return reply.redirect(pageAfter(req.session.status), 303);
  });

  return app;
}
