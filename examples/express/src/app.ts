import { sessionMiddleware, type SessionOptions } from '@sess/express';
import express, { type Express } from 'express';
import { page } from './page.js';
import { pageAfter, reportedStatus } from './reported-status.js';

/**
 * The demo app on Express: a visit counter, a login that renews the session and a logout that
 * purges it. Each action redirects to the page with the status its request ended in
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
  app.use(sessionMiddleware(options));
  app.use(express.urlencoded({ extended: false, limit: '10kb' }));

  app.get('/', (req, res) => {
    res.type('html').send(page(req.session, reportedStatus(req.query.status)));
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
    // New privileges, new session key: an attacker who planted the old cookie gains nothing.
    req.session.renew();
    res.redirect(303, pageAfter(req.session.status));
  });

  app.post('/logout', (req, res) => {
    // Deletes the state server-side and clears the cookie.
    req.session.purge();
    res.redirect(303, pageAfter(req.session.status));
  });

  return app;
}
