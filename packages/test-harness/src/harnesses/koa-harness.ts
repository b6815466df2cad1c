import { createServer } from 'node:http';
import { listen } from '@sess/adapter-tests';
import { sessionMiddleware } from '@sess/koa';
import Koa, { type Context } from 'koa';
import { MAX_HEADER_BYTES, type Harness, type Reply } from '../app-spec.js';
import { readBody } from '../read-body.js';

/**
 * Koa 3 with `@sess/koa`: a small dispatcher middleware (Koa has no router of its own) where a
 * failing guard leaves the request unmatched, so Koa answers its default 404; the raw body read
 * from the request stream; errors go to Koa's default `ctx.onerror`, recorded through the app's
 * `'error'` event.
 *
 * @example
 * ```ts
 * const server = await startKoa(routes, { store, key })
 * ```
 */
export const startKoa: Harness = async (routes, options) => {
  const errors: unknown[] = [];
  const app = new Koa();
  // A listener replaces Koa's default logger, which would print every expected 500.
  app.on('error', (error: unknown) => errors.push(error));
  app.use(sessionMiddleware(options));
  app.use(async (ctx, next) => {
    const route = routes.find(
      (r) => (r.method === 'ALL' || r.method === ctx.method || (r.method === 'GET' && ctx.method === 'HEAD')) && r.path === ctx.path && (r.guard?.(ctx.session) ?? true),
    );
    if (!route) return next();
    const body = await readBody(ctx.req);
    const query = new URLSearchParams(ctx.querystring);
    write(ctx, await route.handle(ctx.session, { method: ctx.method, path: ctx.path, query, body }));
  });
  return listen(createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app.callback()), errors);
};

function write(ctx: Context, reply: Reply): void {
  for (const cookie of reply.setCookie) ctx.append('Set-Cookie', cookie);
  ctx.status = reply.status;
  ctx.type = reply.kind === 'json' ? 'application/json' : 'text/plain';
  ctx.body = reply.kind === 'json' ? JSON.stringify(reply.value) : reply.value;
}
