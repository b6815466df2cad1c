import {
  createDuplicateCheck,
  createSessionManager,
  type RequestSession,
  type Session,
  type SessionManager,
  type SessionOptions,
  type SessionOwners,
} from '@sess/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { holdResponseHead } from './hold-response-head.js';

declare global {
  // Express's own extension point (see @types/express-serve-static-core), as express-session uses it.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** This request's session, set by `@sess/express`'s `sessionMiddleware`. */
      session: Session;
    }
  }
}

/**
 * Express middleware (Express 5 and 4) that puts the request's session on `req.session` and
 * persists it before the response head is written, whichever way the handler responds
 * (`res.send`, `res.json`, `res.redirect`, `res.end`, `res.sendFile`, a piped stream…).
 *
 * Synchronous: the options are validated here, so bad configuration throws at startup.
 * Store failures go to `next(err)` with a `SessionError` (status 500, `expose: false`, generic
 * message, the store's error as `cause`): while loading, the handlers do not run; while
 * committing, the handler's response is dropped before any byte of it is sent and your error
 * handler answers instead. A response with status 500 or more persists nothing.
 *
 * @param options the store, the key and optional cookie and lifecycle settings
 * @returns the middleware; register it before the routes that use `req.session`
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { sessionMiddleware, CookieSessionStore, Key } from '@sess/express'
 *
 * const app = express()
 * app.use(sessionMiddleware({ store: new CookieSessionStore(), key: Key.generate() }))
 * app.post('/visit', (req, res) => {
 *   req.session.updateOr('visits', 1, (n: number) => n + 1)
 *   res.json({ visits: req.session.get('visits') })
 * })
 * ```
 */
export function sessionMiddleware(options: SessionOptions): RequestHandler & { readonly owners: SessionOwners } {
  const manager = createSessionManager(options);
  const alreadyLoaded = createDuplicateCheck(manager);
  const middleware: RequestHandler = function session(req, res, next) {
    if (alreadyLoaded(req)) return next();
    // A value when no I/O was needed (no cookie, an in-process store): the handlers run in this tick.
    const loaded = manager.load(req.headers.cookie);
    if (loaded instanceof Promise) loaded.then((rs) => start(manager, rs, req, res, next), next);
    else start(manager, loaded, req, res, next);
  };
  // "A user's sessions" (list, revoke) for the routes: `session.owners.list(req.session)`.
  return Object.assign(middleware, { owners: manager.owners });
}

/** Hands the session to the handlers; the response head is held only once the commit may have work. */
function start(manager: SessionManager, rs: RequestSession, req: Request, res: Response, next: NextFunction): void {
  req.session = rs.session;
  // Snapshot now: the hold may start later, after the handler set headers of its own.
  const headersAtLoad = res.getHeaders();
  rs.onCommitNeeded(() =>
    holdResponseHead(
      res,
      (status) => manager.commit(rs, { status, transport: { protocol: req.protocol, host: req.headers.host } }),
      next,
      headersAtLoad,
    ),
  );
  next();
}
