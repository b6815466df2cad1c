import { sessionMiddleware, type SessionOptions } from '@sess/express';
import express, { type Express } from 'express';
import { page } from './page.js';
import { pageAfter, reportedStatus } from './reported-status.js';
import { ownerDetails, yourSessions } from './your-sessions.js';

/**
 * The demo app on Express: a visit counter, a login that renews the session and a logout that
 * purges it, and "Your sessions": the signed-in user's devices, each of which can be signed out. Each action redirects to the page with the status its request ended in
 * (`/?status=changed`), which the page shows after validating it. Exported so tests (and
 * browser tests) can start it on any port.
 *
 * @example
 * ```ts
 * createApp({ store: new CookieSessionStore(), key: Key.generate() }).listen(3000)
 * ```
 */
export function createApp(options: SessionOptions): Express {
  const app = express();
  const sessions = sessionMiddleware(options);
  app.use(sessions);
  app.use(express.urlencoded({ extended: false, limit: '10kb' }));

  app.get('/', async (req, res) => {
    const devices = await yourSessions(sessions.owners, req.session, options.store);
    res.type('html').send(page(req.session, reportedStatus(req.query.status), devices));
  });

  app.post('/counter', (req, res) => {
    req.session.updateOr('counter', 1, (n: number) => n + 1);
    res.redirect(303, pageAfter(req.session.status));
  });

  app.post('/login', (req, res) => {
    const user = typeof req.body?.user === 'string' ? req.body.user.trim() : '';
    if (!user) {
      res.status(400).type('text').send('A user name is required');
      return;
    }
    req.session.insert('user', user);
    // Ties the session to the user, so it shows in their "Your sessions" and can be signed out.
    req.session.setOwner(user, ownerDetails(req.get('user-agent')));
    // New privileges, new session key: an attacker who planted the old cookie gains nothing.
    req.session.renew();
    res.redirect(303, pageAfter(req.session.status));
  });

  app.post('/logout', (req, res) => {
    // Deletes the state server-side and clears the cookie.
    req.session.purge();
    res.redirect(303, pageAfter(req.session.status));
  });

  // "Sign out" on another device's row: only ever one of this user's own sessions.
  app.post('/sessions/revoke', async (req, res) => {
    const id: unknown = req.body?.id;
    if (typeof id === 'string') await sessions.owners.revoke(req.session, id);
    res.redirect(303, pageAfter(req.session.status));
  });

  app.post('/sessions/revoke-others', async (req, res) => {
    await sessions.owners.revokeOthers(req.session);
    res.redirect(303, pageAfter(req.session.status));
  });

  return app;
}
