import type { Harness } from '@sess/adapter-tests';

// The route table, replies and the harness signature are the public adapter kit's.
export { json, text, type Harness, type Reply, type ReplyInit, type Route, type RouteRequest, type RunningServer } from '@sess/adapter-tests';

/**
 * The adapters of this repository, by name.
 *
 * @example
 * ```ts
 * const name: AdapterName = 'koa'
 * ```
 */
export type AdapterName = 'express' | 'koa' | 'hono' | 'fastify';

/**
 * An adapter under test.
 *
 * @example
 * ```ts
 * const express: Adapter = { name: 'express', start: startExpress }
 * ```
 */
export interface Adapter {
  readonly name: AdapterName;
  readonly start: Harness;
}

/**
 * How big a request head the test servers accept. Node's default (16 KiB) would answer a huge
 * Cookie header with its own 431 before the session middleware ever saw it; attacks must reach
 * the middleware, as they would behind a server configured for large headers.
 *
 * @example
 * ```ts
 * createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app)
 * ```
 */
export const MAX_HEADER_BYTES = 256 * 1024;
