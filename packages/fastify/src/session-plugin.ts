import { createSessionManager, SessionError, type RequestSession, type Session, type SessionOptions, type SessionOwners } from '@sess/core';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's session, set by `@sess/fastify`'s `sessionPlugin`. */
    session: Session;
  }
  interface FastifyInstance {
    /**
     * "A user's sessions" (list, revoke, revoke all or all but the current one), decorated by
     * `@sess/fastify`'s `sessionPlugin`: `app.sessionOwners.list(request.session)`.
     */
    readonly sessionOwners: SessionOwners;
  }
}

/** Where a request keeps its lifecycle object from `onRequest` to `onSend`; `null` once committed. */
const REQUEST_SESSION = Symbol('@sess/fastify request session');
type Tracked = FastifyRequest & { [REQUEST_SESSION]: RequestSession | null };

async function register(fastify: FastifyInstance, options: SessionOptions): Promise<void> {
  // Fastify lets a child context decorate a name its parent has; two plugins on one request
  // would load and commit twice, so say so now rather than on every request.
  if (fastify.hasDecorator('sessionOwners')) {
    throw new SessionError('MISUSE', 'sessionPlugin is already registered for this Fastify instance or one of its parents: register it once');
  }
  const manager = createSessionManager(options);
  fastify.decorate('sessionOwners', manager.owners);
  // Declared up front with `null`, as Fastify asks, so every request object keeps one shape.
  fastify.decorateRequest('session', null as unknown as Session);
  fastify.decorateRequest(REQUEST_SESSION, null);

  fastify.addHook('onRequest', function loadSession(request, _reply, done) {
    // A value when no I/O was needed (no cookie, an in-process store): no promise, no tick spent.
    const loaded = manager.load(request.headers.cookie);
    if (!(loaded instanceof Promise)) {
      start(request as Tracked, loaded);
      return done();
    }
    loaded.then((rs) => {
      start(request as Tracked, rs);
      done();
    }, done);
  });

  fastify.addHook('onSend', function commitSession(request, reply, payload, done) {
    const rs = (request as Tracked)[REQUEST_SESSION];
    // No session: its load failed, or this is the error reply of a failed commit.
    if (rs === null) return done(null, payload);
    (request as Tracked)[REQUEST_SESSION] = null;
    const transport = { protocol: request.protocol, host: request.host };
    const committed = manager.commit(rs, { status: reply.statusCode, transport });
    if (!(committed instanceof Promise)) return done(null, appendCookies(reply, committed, payload));
    committed.then((cookies) => done(null, appendCookies(reply, cookies, payload)), (error: unknown) => done(dropped(reply, error)));
  });
}

/** Hands the loaded session to the request, and keeps `rs` for the commit. */
function start(request: Tracked, rs: RequestSession): void {
  request[REQUEST_SESSION] = rs;
  request.session = rs.session;
}

/** Appends the session's `Set-Cookie` values; Fastify keeps every earlier `Set-Cookie` too. */
function appendCookies(reply: FastifyReply, cookies: string[], payload: unknown): unknown {
  if (cookies.length > 0) reply.header('set-cookie', cookies);
  return payload;
}

/**
 * A failed commit replaces the handler's reply: its headers and cookies go, so the error
 * handler's 500 carries nothing of a response whose session was not saved.
 */
function dropped(reply: FastifyReply, error: unknown): Error {
  for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
  return error as Error;
}

/**
 * Fastify 5 plugin that puts the request's session on `request.session`, loaded in an
 * `onRequest` hook and persisted in an `onSend` hook, before the reply head is written,
 * whichever way the route answers (`return` a value, `reply.send` a string, a buffer or a
 * stream, `reply.redirect`, `reply.code(204).send()`, HEAD…).
 *
 * Wrapped with `fastify-plugin`, so the decoration is visible to the whole app (or to the
 * encapsulated context you register it in). Bad options reject `app.register(…)`/`app.ready()`
 * with a `SessionConfigError`, never a request. Store failures reach Fastify's error handling
 * as a `SessionError` (status 500, `expose: false`, generic message, the store's error as
 * `cause`): while loading, the route does not run; while committing, the route's reply (its
 * headers and cookies included) is dropped and the error handler answers instead. A reply with
 * status 500 or more persists nothing. Also decorates the instance with `sessionOwners`.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { sessionPlugin, CookieSessionStore, Key } from '@sess/fastify'
 *
 * const app = Fastify()
 * await app.register(sessionPlugin, { store: new CookieSessionStore(), key: Key.generate() })
 * app.post('/visit', async (request) => {
 *   request.session.updateOr('visits', 1, (n: number) => n + 1)
 *   return { visits: request.session.get('visits') }
 * })
 * ```
 */
export const sessionPlugin: FastifyPluginAsync<SessionOptions> = fp(register, { fastify: '5.x', name: '@sess/fastify' });
