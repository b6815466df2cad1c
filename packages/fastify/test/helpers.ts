import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { MemorySessionStore, type SessionKey, type SessionState } from '../src/index.js';

const running = new Set<FastifyInstance>();

/**
 * Starts `app` with Fastify's own `listen` on 127.0.0.1, ephemeral port (real HTTP, not
 * `inject`), and returns its base URL; {@link closeAll} stops it.
 */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  running.add(app);
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** Closes every app {@link listen} started; use in `afterEach`. */
export async function closeAll(): Promise<void> {
  const apps = [...running];
  running.clear();
  await Promise.all(apps.map((app) => app.close()));
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
 * A memory store whose reads and writes take `delayMs` and are counted: load and commit are then
 * promises (overriding `load` turns the memory store's synchronous read off), so a reply sent
 * before the commit settled would visibly go out without its cookie.
 */
export class SlowStore extends MemorySessionStore {
  loads = 0;
  writes = 0;

  constructor(private readonly delayMs = 20) {
    super();
  }

  override async load(key: SessionKey): Promise<SessionState | null> {
    this.loads += 1;
    await this.#pause();
    return super.load(key);
  }

  override async save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    this.writes += 1;
    await this.#pause();
    return super.save(state, ttlSeconds);
  }

  override async update(key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    this.writes += 1;
    await this.#pause();
    return super.update(key, state, ttlSeconds);
  }

  #pause(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.delayMs));
  }
}
