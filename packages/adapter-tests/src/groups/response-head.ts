import {
  Key,
  MemorySessionStore,
  type SessionKey,
  type SessionState,
  type SessionStore,
} from '@sess/core';
import type { AdapterCell } from '../describe-adapter.js';
import { cookieHeader, findCookie, send } from '../http-client.js';
import { json, text, type Route } from '../route-table.js';

const visit = (session: { updateOr<T>(key: string, initial: T, update: (value: T) => T): void }): void =>
  session.updateOr('visits', 1, (n: number) => n + 1);

const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/visits', handle: (session) => json({ visits: session.get<number>('visits') ?? null }) },
  { method: 'GET', path: '/page', handle: (session) => (visit(session), text('the page')) },
  { method: 'POST', path: '/ping', handle: (session) => (visit(session), text('', { status: 204 })) },
  { method: 'GET', path: '/doc', handle: (session) => (visit(session), text('', { status: 304 })) },
];

/**
 * A memory store whose writes take `delayMs`: an adapter that lets the response head go before
 * the commit has finished sends no session cookie, or a head the store does not back yet.
 */
class SlowWriteStore implements SessionStore {
  readonly #inner = new MemorySessionStore();
  constructor(readonly delayMs: number) {}
  load(key: SessionKey): Promise<SessionState | null> {
    return this.#inner.load(key);
  }
  async save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return this.#inner.save(state, ttlSeconds);
  }
  async update(key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return this.#inner.update(key, state, ttlSeconds);
  }
  updateTtl(key: SessionKey, ttlSeconds: number): Promise<void> {
    return this.#inner.updateTtl(key, ttlSeconds);
  }
  delete(key: SessionKey): Promise<boolean | void> {
    return this.#inner.delete(key);
  }
}

/**
 * The commit happens before the response head is sent, whatever the response: a slow store
 * write delays the head (the cookie goes out, backed by the store), and responses without a
 * body (HEAD, 204, 304) end the request like any other: the cookie goes out and the write is
 * persisted.
 *
 * @example
 * ```ts
 * responseHeadTests(cell)
 * ```
 */
export function responseHeadTests(cell: AdapterCell): void {
  const start = (store: SessionStore = cell.store.store()) =>
    cell.start(ROUTES, { store, key: Key.generate(), cookie: { contentSecurity: cell.mode } });
  const visits = async (url: string, cookie: string | undefined): Promise<unknown> =>
    JSON.parse((await send(`${url}/visits`, cookie === undefined ? {} : { cookie })).body) as unknown;
  const cookieOf = (res: Awaited<ReturnType<typeof send>>): string | undefined => {
    const cookie = findCookie(res, 'id');
    return cookie === undefined ? undefined : cookieHeader(cookie);
  };

  test('the session is committed before the response head: a slow store write delays the head, whose cookie the store already backs', async () => {
    const server = await start(new SlowWriteStore(150));
    const res = await send(`${server.url}/page`);
    expect(res.status).toBe(200);
    expect(res.body).toBe('the page');
    expect(res.ms).toBeGreaterThanOrEqual(140);
    const cookie = cookieOf(res);
    expect(cookie).toBeDefined();
    expect(await visits(server.url, cookie)).toEqual({ visits: 1 });
  });

  test('HEAD of a route that writes: no body, the cookie goes out and the write is persisted', async () => {
    const { url } = await start();
    const head = await send(`${url}/page`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(await visits(url, cookieOf(head))).toEqual({ visits: 1 });
  });

  test('204 No Content: the cookie goes out and the write is persisted', async () => {
    const { url } = await start();
    const first = await send(`${url}/ping`, { method: 'POST' });
    expect(first.status).toBe(204);
    const second = await send(`${url}/ping`, { method: 'POST', cookie: cookieOf(first) as string });
    expect({ status: second.status, body: second.body }).toEqual({ status: 204, body: '' });
    expect(await visits(url, cookieOf(second))).toEqual({ visits: 2 });
  });

  test('304 Not Modified, for GET and HEAD: the cookie goes out and the writes are persisted', async () => {
    const { url } = await start();
    let cookie: string | undefined;
    for (const method of ['GET', 'HEAD', 'GET']) {
      const res = await send(`${url}/doc`, { method, ...(cookie === undefined ? {} : { cookie }) });
      expect({ method, status: res.status, body: res.body }).toEqual({ method, status: 304, body: '' });
      cookie = cookieOf(res);
      expect(cookie).toBeDefined();
    }
    expect(await visits(url, cookie)).toEqual({ visits: 3 });
  });
}
