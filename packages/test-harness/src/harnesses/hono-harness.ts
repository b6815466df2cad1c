import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { listen } from '@sess/adapter-tests';
import { sessionMiddleware, type SessionVariables } from '@sess/hono';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { MAX_HEADER_BYTES, type Harness, type Reply } from '../app-spec.js';

type Env = { Variables: SessionVariables };

/**
 * Hono 4 with `@sess/hono` on `@hono/node-server`'s request listener: `app.on(method, path, …)`
 * routes, guards as route middleware answering `c.notFound()`, errors left to Hono's default
 * `onError` (recorded from `c.error` by an outer middleware).
 *
 * @example
 * ```ts
 * const server = await startHono(routes, { store, key })
 * ```
 */
export const startHono: Harness = async (routes, options) => {
  const errors: unknown[] = [];
  const app = new Hono<Env>();
  app.use(async (c, next) => {
    await next();
    if (c.error !== undefined) errors.push(c.error);
  });
  app.use(sessionMiddleware(options));
  for (const route of routes) {
    const { guard } = route;
    const guarded: MiddlewareHandler<Env> = async (c, next) =>
      guard === undefined || guard(c.get('session')) ? next() : c.notFound();
    const methods = route.method === 'ALL' ? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] : [route.method];
    app.on(methods, route.path, guarded, async (c) => {
      const query = new URL(c.req.url).searchParams;
      const request = { method: c.req.method, path: c.req.path, query, body: await c.req.text() };
      return write(c, await route.handle(c.get('session'), request));
    });
  }
  return listen(createServer({ maxHeaderSize: MAX_HEADER_BYTES }, getRequestListener(app.fetch)), errors);
};

function write(c: Context<Env>, reply: Reply): Response {
  for (const cookie of reply.setCookie) c.header('Set-Cookie', cookie, { append: true });
  // A 204 or 304 has no body; a Response constructed with one (even '') throws.
  if (reply.status === 204 || reply.status === 304) return c.body(null, reply.status);
  const status = reply.status as ContentfulStatusCode;
  return reply.kind === 'json' ? c.json(reply.value, status) : c.text(reply.value, status);
}
