import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';

/** A server on 127.0.0.1, ephemeral port. */
export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

const running = new Set<TestServer>();

async function start(server: Server): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle: TestServer = {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        running.delete(handle);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  running.add(handle);
  return handle;
}

/** Serves a Hono app with `@hono/node-server` on a real loopback port; {@link closeAll} stops it. */
export function serve<E extends object>(app: Hono<E>): Promise<TestServer> {
  return start(createAdaptorServer({ fetch: app.fetch }) as Server);
}

/** Serves a plain `node:http` listener (an upstream for proxied responses). */
export function serveNode(listener: RequestListener): Promise<TestServer> {
  return start(createServer(listener));
}

/** Closes every server started here; use in `afterEach`. */
export async function closeAll(): Promise<void> {
  await Promise.all([...running].map((server) => server.close()));
}

/** `fetch` that never follows redirects. */
export function request(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: 'manual', ...init });
}

/** The `name=value` pair of the first `Set-Cookie` named `name`, ready for a `Cookie` header. */
export function cookiePair(res: Response, name = 'id'): string | undefined {
  return res.headers
    .getSetCookie()
    .map((header) => header.split(';')[0]!)
    .find((pair) => pair.startsWith(`${name}=`));
}

/** The names of every `Set-Cookie` of a response, in order. */
export function cookieNames(res: Response): string[] {
  return res.headers.getSetCookie().map((header) => header.slice(0, header.indexOf('=')));
}
