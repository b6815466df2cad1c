import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemorySessionStore, type SessionKey, type SessionState } from '../src/index.js';
import express from 'express';
import express4 from 'express4';

/** Both Express majors the adapter supports. */
export const EXPRESS_VERSIONS = [
  { name: 'express 5', express },
  { name: 'express 4', express: express4 },
] as const;

/** A server on 127.0.0.1, ephemeral port. */
export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

const running = new Set<TestServer>();

/** Starts `app` on a real loopback port; {@link closeAll} stops it. */
export async function listen(app: RequestListener): Promise<TestServer> {
  const server = createServer(app);
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

/**
 * A memory store whose writes take `delayMs`: long enough that a response written before the
 * commit finished would visibly go out without its cookie.
 */
export class SlowStore extends MemorySessionStore {
  writes = 0;
  #waiting: (() => void)[] = [];

  constructor(private readonly delayMs = 30) {
    super();
  }

  override async save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.#written();
    return super.save(state, ttlSeconds);
  }

  override async update(key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.#written();
    return super.update(key, state, ttlSeconds);
  }

  /** Resolves after the next write. */
  nextWrite(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #written(): void {
    this.writes += 1;
    for (const resolve of this.#waiting.splice(0)) resolve();
  }
}
