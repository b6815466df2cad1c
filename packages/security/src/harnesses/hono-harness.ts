import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { listen } from '@sess/conformance/src/listen';
import { sessionMiddleware, type SessionVariables } from '@sess/hono';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { MAX_HEADER_BYTES, type Harness, type Reply } from '../app-spec.js';

type Env = { Variables: SessionVariables };

/**
 * Hono 4 with `@sess/hono` on `@hono/node-server`'s request listener: `app.on(method, path)`
 * routes, errors left to Hono's default `onError` (recorded from `c.error` by an outer middleware).
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
    const methods = route.method === 'ALL' ? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] : [route.method];
    app.on(methods, route.path, async (c) => {
      const url = new URL(c.req.url);
      const body = await c.req.text();
      return write(c, await route.handle(c.get('session'), { method: c.req.method, path: c.req.path, query: url.searchParams, body }));
    });
  }
  return listen(createServer({ maxHeaderSize: MAX_HEADER_BYTES }, getRequestListener(app.fetch)), errors);
};

function write(c: Context<Env>, reply: Reply): Response {
  for (const cookie of reply.setCookie) c.header('Set-Cookie', cookie, { append: true });
  const status = reply.status as ContentfulStatusCode;
  return reply.kind === 'json' ? c.json(reply.value, status) : c.text(reply.value, status);
}
