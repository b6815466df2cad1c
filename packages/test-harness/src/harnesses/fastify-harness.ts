import { createServer } from 'node:http';
import { sessionPlugin } from '@sess/fastify';
import Fastify, { type FastifyReply } from 'fastify';
import { MAX_HEADER_BYTES, type Harness, type Reply } from '../app-spec.js';
import { listen } from '@sess/adapter-tests';

/**
 * Fastify 5 with `@sess/fastify` (`app.register(sessionPlugin, options)`): one native route per
 * {@link Route} (`app.route`), guards answering `reply.callNotFound()` (Fastify's own 404), every
 * body taken as raw text by a catch-all content-type parser (no parser reshapes an attacker's
 * JSON or refuses an empty body before the route), errors left to Fastify's default error
 * handler (recorded on the way by an error handler that passes them on).
 *
 * @example
 * ```ts
 * const server = await startFastify(routes, { store, key })
 * ```
 */
export const startFastify: Harness = async (routes, options) => {
  const errors: unknown[] = [];
  const app = Fastify({ serverFactory: (handler) => createServer({ maxHeaderSize: MAX_HEADER_BYTES }, handler) });
  await app.register(sessionPlugin, options);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // `reply.send(error)` in an error handler hands the error to the parent one: Fastify's default.
  app.setErrorHandler((error, _req, reply) => {
    errors.push(error);
    return reply.send(error);
  });
  for (const route of routes) {
    app.route({
      method: route.method === 'ALL' ? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] : [route.method],
      url: route.path,
      exposeHeadRoute: route.method !== 'ALL',
      handler: async (req, reply) => {
        if (route.guard !== undefined && !route.guard(req.session)) return reply.callNotFound();
        const body = typeof req.body === 'string' ? req.body : '';
        const { pathname: path, searchParams: query } = new URL(req.url, 'http://localhost');
        return write(reply, await route.handle(req.session, { method: req.method, path, query, body }));
      },
    });
  }
  await app.ready();
  return listen(app.server, errors);
};

function write(reply: FastifyReply, answer: Reply): FastifyReply {
  for (const cookie of answer.setCookie) reply.header('set-cookie', cookie);
  reply.code(answer.status).type(answer.kind === 'json' ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8');
  return reply.send(answer.kind === 'json' ? JSON.stringify(answer.value) : answer.value);
}
