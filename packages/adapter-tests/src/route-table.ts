import type { JsonValue, Session, SessionOptions } from '@sess/core';

/**
 * What a route answers; each harness writes it with its framework's own API. A 204 or 304
 * reply is `text('', { status })`: write it without a body.
 *
 * @example
 * ```ts
 * const reply: Reply = json({ ok: true }, { status: 201 })
 * ```
 */
export type Reply =
  | { readonly kind: 'json'; readonly value: JsonValue; readonly status: number; readonly setCookie: readonly string[] }
  | { readonly kind: 'text'; readonly value: string; readonly status: number; readonly setCookie: readonly string[] };

/**
 * Extra parts of a reply.
 *
 * @example
 * ```ts
 * text('bye', { setCookie: ['farewell=1; Path=/'] })
 * ```
 */
export interface ReplyInit {
  /** Default 200. */
  readonly status?: number;
  /** `Set-Cookie` headers the handler sets itself (the session cookie must not replace them). */
  readonly setCookie?: readonly string[];
}

/**
 * A JSON reply.
 *
 * @example
 * ```ts
 * return json({ user_id: null, counter: 0 })
 * ```
 */
export function json(value: JsonValue, init: ReplyInit = {}): Reply {
  return { kind: 'json', value, status: init.status ?? 200, setCookie: init.setCookie ?? [] };
}

/**
 * A `text/plain` reply.
 *
 * @example
 * ```ts
 * return text('Logged out', { status: 200 })
 * ```
 */
export function text(value: string, init: ReplyInit = {}): Reply {
  return { kind: 'text', value, status: init.status ?? 200, setCookie: init.setCookie ?? [] };
}

/**
 * What a route sees of the request, the same on every framework: the raw body text (a route
 * parses it itself, so no framework body parser can reshape an attacker's JSON on the way) and
 * the query string.
 *
 * @example
 * ```ts
 * const request: RouteRequest = { method: 'POST', path: '/put', query: new URLSearchParams('i=3'), body: '{}' }
 * ```
 */
export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The body as UTF-8 text, `''` when there is none. */
  readonly body: string;
}

/**
 * One route of a test app, framework-neutral. The harnesses turn each into a native route.
 *
 * @example
 * ```ts
 * const route: Route = { method: 'GET', path: '/', handle: (session) => json(session.entries()) }
 * ```
 */
export interface Route {
  /** `ALL` matches any method (actix's `web::resource(path).to(handler)`). */
  readonly method: 'GET' | 'POST' | 'ALL';
  /** Matched exactly. */
  readonly path: string;
  /**
   * actix's route guard: when it returns false the route does not match and the request falls
   * through to the framework's 404, implemented natively by each harness.
   */
  readonly guard?: (session: Session) => boolean;
  /** The handler; it may be async (a slow request) and may throw. */
  readonly handle: (session: Session, request: RouteRequest) => Reply | Promise<Reply>;
}

/**
 * A running test server.
 *
 * @example
 * ```ts
 * const server = await adapter.start(routes, options)
 * await send(`${server.url}/`)
 * await server.close()
 * ```
 */
export interface RunningServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /**
   * Errors that reached the framework's own error handling, in order (record them from the
   * framework's error hook; the kit checks a store failure arrives as an unexposed `SessionError`).
   */
  readonly errors: readonly unknown[];
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

/**
 * The one thing an adapter provides to run the kit: start an app with the adapter's session
 * middleware (`options` as given) in front of `routes` turned into native routes, listening on
 * 127.0.0.1 on an ephemeral port; the returned handle stops it.
 *
 * @example
 * ```ts
 * const server = await adapter.start(routes, { store, key })
 * ```
 */
export type Harness = (routes: readonly Route[], options: SessionOptions) => Promise<RunningServer>;

