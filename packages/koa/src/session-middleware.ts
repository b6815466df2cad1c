import { createDuplicateCheck, createSessionManager, type Session, type SessionOptions, type SessionOwners } from '@sess/core';
import type { Middleware } from 'koa';

declare module 'koa' {
  // ExtendableContext is part of every Koa context type (ParameterizedContext, Context), so
  // `ctx.session` is typed whatever state and context types an app declares.
  interface ExtendableContext {
    /** This request's session, set by `@sess/koa`'s `sessionMiddleware`. */
    session: Session;
  }
}

/**
 * Koa middleware that puts the request's session on `ctx.session` and persists it after
 * `await next()`, appending its `Set-Cookie` header to the response.
 *
 * Synchronous: the options are validated here, so bad configuration throws at startup.
 * Store failures are thrown as a `SessionError` (status 500, `expose: false`, generic message,
 * the store's error as `cause`), so Koa answers a bare 500 and emits the app `'error'` event,
 * and any error-handling middleware above this one can catch them. When the downstream throws,
 * the session is persisted according to the error's status (500 or more: nothing) and the
 * error is re-thrown, carrying the session cookie in `err.headers` for Koa's error response.
 *
 * @param options the store, the key and optional cookie and lifecycle settings
 * @returns the middleware; `app.use` it before the middleware that use `ctx.session`
 *
 * @example
 * ```ts
 * import Koa from 'koa'
 * import { sessionMiddleware, CookieSessionStore, Key } from '@sess/koa'
 *
 * const app = new Koa()
 * app.use(sessionMiddleware({ store: new CookieSessionStore(), key: Key.generate() }))
 * app.use((ctx) => {
 *   ctx.session.updateOr('visits', 1, (n: number) => n + 1)
 *   ctx.body = { visits: ctx.session.get('visits') }
 * })
 * ```
 */
export function sessionMiddleware(options: SessionOptions): Middleware & { readonly owners: SessionOwners } {
  const manager = createSessionManager(options);
  const alreadyLoaded = createDuplicateCheck(manager);
  const middleware: Middleware = async function session(ctx, next) {
    if (alreadyLoaded(ctx)) return next();
    // `load` and `commit` answer without a promise when they need no I/O: no tick spent awaiting.
    const loaded = manager.load(ctx.get('Cookie'));
    const rs = loaded instanceof Promise ? await loaded : loaded;
    ctx.session = rs.session;
    const transport = { protocol: ctx.protocol, host: ctx.get('Host') };
    try {
      await next();
    } catch (error) {
      const cookies = await manager.commit(rs, { status: statusOf(error), transport });
      for (const cookie of cookies) ctx.append('Set-Cookie', cookie);
      keepCookiesOnError(error, cookies);
      throw error;
    }
    const committed = manager.commit(rs, { status: ctx.status, transport });
    for (const cookie of committed instanceof Promise ? await committed : committed) ctx.append('Set-Cookie', cookie);
  };
  // "A user's sessions" (list, revoke) for the routes: `session.owners.list(ctx.session)`.
  return Object.assign(middleware, { owners: manager.owners });
}

/** The status Koa's `ctx.onerror` will answer a thrown value with. */
function statusOf(error: unknown): number {
  const { status, statusCode } = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const code = status ?? statusCode;
  return typeof code === 'number' && code >= 100 && code <= 599 ? code : 500;
}

/**
 * Koa's `ctx.onerror` removes every response header, then sets `err.headers` (the http-errors
 * convention): the session cookie of a persisted 4xx must travel there, or the store and the
 * browser would disagree (a renewed session would be lost).
 */
function keepCookiesOnError(error: unknown, cookies: string[]): void {
  if (cookies.length === 0 || typeof error !== 'object' || error === null) return;
  const headers: Record<string, unknown> = { ...(error as { headers?: object }).headers };
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'set-cookie') ?? 'Set-Cookie';
  headers[name] = [headers[name] ?? []].flat().concat(cookies);
  // Reflect.set: a frozen error simply keeps its headers.
  Reflect.set(error, 'headers', headers);
}
