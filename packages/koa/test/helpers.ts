import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server on 127.0.0.1, ephemeral port. */
export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

const running = new Set<TestServer>();

/** Starts `listener` on a real loopback port; {@link closeAll} stops it. */
export async function listen(listener: RequestListener): Promise<TestServer> {
  const server = createServer(listener);
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

/** Closes every server {@link listen} started; use in `afterEach`. */
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
