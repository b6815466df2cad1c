import type { Reply, RunningServer } from '@sess/conformance/src/app-spec';
import type { Session, SessionOptions } from '@sess/core';

// The reply helpers and the server handle are the conformance suite's: one vocabulary for both.
export { json, text, type Reply, type RunningServer } from '@sess/conformance/src/app-spec';

/**
 * What a route sees of the request, the same on every framework: the raw body text (each route
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
  readonly body: string;
}

/**
 * One route of an attack app, framework-neutral; each harness turns it into a native route.
 *
 * @example
 * ```ts
 * const echo: Route = { method: 'GET', path: '/echo', handle: (session) => json(session.entries()) }
 * ```
 */
export interface Route {
  /** `ALL` matches any method. */
  readonly method: 'GET' | 'POST' | 'ALL';
  /** Matched exactly. */
  readonly path: string;
  /** The handler; it may be async (a slow request) and may throw. */
  readonly handle: (session: Session, request: RouteRequest) => Reply | Promise<Reply>;
}

/**
 * Starts one framework with `sessionMiddleware(options)` and `routes` on 127.0.0.1, on an
 * ephemeral port, accepting request heads up to {@link MAX_HEADER_BYTES}.
 *
 * @example
 * ```ts
 * const server = await adapter.start(routes, { store, key })
 * ```
 */
export type Harness = (routes: readonly Route[], options: SessionOptions) => Promise<RunningServer>;

/**
 * An adapter under attack.
 *
 * @example
 * ```ts
 * describe.each(ADAPTERS)('$name', ({ start }) => { … })
 * ```
 */
export interface Adapter {
  readonly name: 'express' | 'koa' | 'hono';
  readonly start: Harness;
}

/**
 * How big a request head the test servers accept. Node's default (16 KiB) would answer a huge
 * Cookie header with its own 431 before the session middleware ever saw it; the attacks must
 * reach the middleware, as they would behind a server configured for large headers.
 *
 * @example
 * ```ts
 * createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app)
 * ```
 */
export const MAX_HEADER_BYTES = 256 * 1024;
