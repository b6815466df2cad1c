import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createSessionManager, type SessionManager, type SessionOptions } from '@sess/core';
import { listen, type Harness, type Reply, type Route } from '@sess/adapter-tests';

/**
 * How a node:http adapter turns one request into a response: `examples/node-http`'s integration
 * (load before the handler, commit before the head), with the kit's replies. The broken adapters
 * of `fixtures/broken-adapters.fixture.ts` replace it.
 */
export type NodeAdapter = (
  manager: SessionManager,
  handle: (req: IncomingMessage, session: Parameters<Route['handle']>[0]) => Promise<Reply>,
  errors: unknown[],
) => RequestListener;

/** The correct adapter: everything the kit checks, in 25 lines. */
export const sessionListener: NodeAdapter = (manager, handle, errors) => async (req, res) => {
  let rs;
  try {
    rs = await manager.load(req.headers.cookie);
  } catch (error) {
    return fail(res, errors, error); // the store failed: the handler does not run, nothing leaks
  }
  let reply: Reply;
  try {
    reply = await handle(req, rs.session);
  } catch (error) {
    return fail(res, errors, error); // nothing is persisted: the request did not complete
  }
  let cookies: string[];
  try {
    cookies = await manager.commit(rs, { status: reply.status });
  } catch (error) {
    return fail(res, errors, error); // replaces the whole response, the handler's cookies too
  }
  writeReply(res, reply, cookies);
};

/** Records the error and answers an empty 500. */
export function fail(res: ServerResponse, errors: unknown[], error: unknown): void {
  errors.push(error);
  res.writeHead(500).end();
}

/** Writes a reply, the handler's own cookies first, then the session's. */
export function writeReply(res: ServerResponse, reply: Reply, sessionCookies: readonly string[]): void {
  const type = reply.kind === 'json' ? 'application/json' : 'text/plain';
  const body = reply.kind === 'json' ? JSON.stringify(reply.value) : reply.value;
  res.writeHead(reply.status, { 'Content-Type': type, 'Set-Cookie': [...reply.setCookie, ...sessionCookies] }).end(body);
}

/**
 * The kit's harness for bare node:http: the route table as a small dispatcher (GET routes answer
 * HEAD, as in every framework; an unmatched or guarded-out request is a 404) in front of `adapter`.
 */
export function nodeHttpHarness(adapter: NodeAdapter = sessionListener): Harness {
  return (routes, options: SessionOptions) => {
    const errors: unknown[] = [];
    const manager = createSessionManager(options);
    const handle = async (req: IncomingMessage, session: Parameters<Route['handle']>[0]): Promise<Reply> => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const route = routes.find(
        (r) => (r.method === 'ALL' || r.method === method) && r.path === url.pathname && (r.guard?.(session) ?? true),
      );
      if (route === undefined) return { kind: 'text', value: 'Not found', status: 404, setCookie: [] };
      let body = '';
      for await (const chunk of req) body += String(chunk);
      return route.handle(session, { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body });
    };
    return listen(createServer(adapter(manager, handle, errors)), errors);
  };
}
