import { createServer, type IncomingMessage } from 'node:http';
import { sessionMiddleware } from '@sess/koa';
import Koa, { type Context } from 'koa';
import type { Harness, Reply } from '../app-spec.js';
import { listen } from '../listen.js';

/**
 * Koa 3: a small dispatcher middleware (Koa has no router of its own) where a failing guard
 * leaves the request unmatched, so Koa answers its default 404; errors go to Koa's default
 * `ctx.onerror`, recorded through the app `'error'` event.
 *
 * @example
 * ```ts
 * const server = await startKoa(routes, options)
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
      (r) => (r.method === 'ALL' || r.method === ctx.method) && r.path === ctx.path && (r.guard?.(ctx.session) ?? true),
    );
    if (!route) return next();
    write(ctx, await route.handle(ctx.session, await readBody(ctx.req)));
  });
  return listen(createServer(app.callback()), errors);
};

function write(ctx: Context, reply: Reply): void {
  for (const cookie of reply.setCookie) ctx.append('Set-Cookie', cookie);
  ctx.status = reply.status;
  ctx.type = reply.kind === 'json' ? 'application/json' : 'text/plain';
  ctx.body = reply.kind === 'json' ? JSON.stringify(reply.value) : reply.value;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  if (raw === '') return undefined;
  return (req.headers['content-type'] ?? '').startsWith('application/json') ? (JSON.parse(raw) as unknown) : raw;
}
