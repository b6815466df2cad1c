import { createServer } from 'node:http';
import { listen } from '@sess/adapter-tests';
import { sessionMiddleware } from '@sess/express';
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { MAX_HEADER_BYTES, type Harness, type Reply } from '../app-spec.js';
import { readBody } from '../read-body.js';

/**
 * Express 5 with `@sess/express`: one native route per {@link Route} (`app.get/post/all`), guards
 * as route middleware that fall through with `next('route')`, the raw body read from the request
 * stream, errors left to Express's default handler (recorded on the way by an error middleware
 * that passes them on).
 *
 * @example
 * ```ts
 * const server = await startExpress(routes, { store, key })
 * ```
 */
export const startExpress: Harness = async (routes, options) => {
  const errors: unknown[] = [];
  const app = express();
  app.use(sessionMiddleware(options));
  for (const route of routes) {
    const handlers: RequestHandler[] = [];
    const { guard } = route;
    if (guard) handlers.push((req, _res, next) => (guard(req.session) ? next() : next('route')));
    handlers.push(async (req, res) => {
      const body = await readBody(req);
      const query = new URL(req.originalUrl, 'http://localhost').searchParams;
      write(res, await route.handle(req.session, { method: req.method, path: req.path, query, body }));
    });
    const method = route.method === 'ALL' ? 'all' : route.method === 'GET' ? 'get' : 'post';
    app[method](route.path, ...handlers);
  }
  const record: ErrorRequestHandler = (error, _req, _res, next) => {
    errors.push(error);
    next(error);
  };
  app.use(record);
  return listen(createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app), errors);
};

function write(res: Response, reply: Reply): void {
  if (reply.setCookie.length > 0) res.append('Set-Cookie', [...reply.setCookie]);
  res.status(reply.status);
  if (reply.kind === 'json') res.json(reply.value);
  else res.type('text/plain').send(reply.value);
}
