import { createDuplicateCheck, createSessionManager, type RequestSession, type Session, type SessionOptions, type SessionOwners, type Transport } from '@sess/core';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

/**
 * The context variables `sessionMiddleware` sets: declare them in your app's `Variables` so
 * `c.get('session')` is typed.
 *
 * @example
 * ```ts
 * const app = new Hono<{ Variables: SessionVariables }>()
 * app.get('/', (c) => c.text(String(c.get('session').get('visits') ?? 0)))
 * ```
 */
export type SessionVariables = {
  /** This request's session. */
  session: Session;
};

/**
 * Hono middleware that puts the request's session on `c.get('session')` and persists it after
 * `await next()`, appending its `Set-Cookie` header to `c.res`. Web APIs only, so it runs
 * wherever Hono runs (Node, Bun, Deno, Cloudflare Workers…).
 *
 * Synchronous: the options are validated here, so bad configuration throws at startup.
 * Store failures are thrown as an `HTTPException(500)` whose response is an empty 500 and
 * whose `cause` is the `SessionError` (generic message, the store's error as its own `cause`):
 * `app.onError` receives it, and Hono's default handler answers that empty 500. While loading,
 * the handler does not run; while committing, the handler's response is dropped, with the
 * headers, cookies and status it set through `c.header()`, `setCookie()` or `c.status()`, so
 * `app.onError` sees a context holding an empty 500. A response with status 500 or more
 * persists nothing.
 *
 * @param options the store, the key and optional cookie and lifecycle settings
 * @returns the middleware, typed with {@link SessionVariables}
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { sessionMiddleware, CookieSessionStore, Key, type SessionVariables } from '@sess/hono'
 *
 * const app = new Hono<{ Variables: SessionVariables }>()
 * app.use(sessionMiddleware({ store: new CookieSessionStore(), key: Key.generate() }))
 * app.post('/visit', (c) => {
 *   c.get('session').updateOr('visits', 1, (n: number) => n + 1)
 *   return c.json({ visits: c.get('session').get('visits') })
 * })
 * ```
 */
export function sessionMiddleware(options: SessionOptions): MiddlewareHandler<{ Variables: SessionVariables }> & { readonly owners: SessionOwners } {
  const manager = createSessionManager(options);
  const alreadyLoaded = createDuplicateCheck(manager);
  const middleware: MiddlewareHandler<{ Variables: SessionVariables }> = async function session(c, next) {
    if (alreadyLoaded(c)) return next();
    let rs: RequestSession;
    try {
      // `load` and `commit` answer without a promise when they need no I/O: no tick spent awaiting.
      const loaded = manager.load(c.req.header('Cookie'));
      rs = loaded instanceof Promise ? await loaded : loaded;
    } catch (error) {
      return rethrowOpaque(error);
    }
    c.set('session', rs.session);
    await next();
    let cookies: string[];
    try {
      const committed = manager.commit(rs, { status: c.res.status, transport: transportOf(c) });
      cookies = committed instanceof Promise ? await committed : committed;
    } catch (error) {
      replaceWithEmpty500(c);
      return rethrowOpaque(error);
    }
    if (cookies.length === 0) return;
    try {
      for (const cookie of cookies) c.res.headers.append('Set-Cookie', cookie);
    } catch {
      // Immutable headers (a fetched Response, Response.redirect()): copy the response, then append.
      c.res = new Response(c.res.body, c.res);
      for (const cookie of cookies) c.res.headers.append('Set-Cookie', cookie);
    }
  };
  // "A user's sessions" (list, revoke) for the routes: `session.owners.list(c.get('session'))`.
  return Object.assign(middleware, { owners: manager.owners });
}

/** The request's protocol and Host, for the `secure-cookie-over-http` report. */
function transportOf(c: Context): Transport {
  const url = c.req.url;
  return { protocol: url.slice(0, url.indexOf(':')), host: c.req.header('Host') };
}

/**
 * Makes the context an empty 500 before the error handler runs. Hono's error handlers build
 * their response from the context (`c.newResponse`, `c.text`… copy `c.res`'s headers, or, with
 * no `c.res`, the headers `c.header()` and `setCookie()` stored, and use `c.status()`), so
 * clearing `c.res` alone would let the handler's cookies and headers onto the 500.
 */
function replaceWithEmpty500(c: Context): void {
  // Unset first: assigning over an existing `c.res` merges its headers into the new one.
  c.res = undefined;
  c.res = new Response(null, { status: 500 });
  c.status(500);
}

/** Hands a store failure to Hono's error handling as an empty 500, the `SessionError` as `cause`. */
function rethrowOpaque(error: unknown): never {
  throw new HTTPException(500, { res: new Response(null, { status: 500 }), cause: error });
}
