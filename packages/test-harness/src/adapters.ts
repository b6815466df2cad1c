import type { Adapter } from './app-spec.js';
import { startExpress } from './harnesses/express-harness.js';
import { startFastify } from './harnesses/fastify-harness.js';
import { startHono } from './harnesses/hono-harness.js';
import { startKoa } from './harnesses/koa-harness.js';

/**
 * Every adapter the suites run against.
 *
 * @example
 * ```ts
 * describe.each(ADAPTERS)('$name', ({ start }) => { … })
 * ```
 */
export const ADAPTERS: readonly Adapter[] = [
  { name: 'express', start: startExpress },
  { name: 'koa', start: startKoa },
  { name: 'hono', start: startHono },
  { name: 'fastify', start: startFastify },
];
