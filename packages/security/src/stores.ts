import {
  CookieSessionStore,
  MemorySessionStore,
  serializeState,
  type SessionKey,
  type SessionState,
  type SessionStore,
} from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { createClient } from 'redis';

/**
 * The shared Redis these tests use: `REDIS_URL`'s server (default 127.0.0.1:6379), always
 * database 3, this package's own. Each test file works under a key prefix of its own.
 *
 * @example
 * ```ts
 * createClient({ url: SECURITY_REDIS_URL })
 * ```
 */
export const SECURITY_REDIS_URL = (() => {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  url.pathname = '/3';
  return url.toString();
})();

/**
 * One clean store for one test, and a look at what it really holds.
 *
 * @example
 * ```ts
 * const { store, held } = await fixture.fresh()
 * expect([...(await held()).keys()]).toEqual([])
 * ```
 */
export interface StoreHandle {
  readonly store: SessionStore;
  /**
   * Every record held server-side, session key → stored text (read from Redis itself, or from
   * the memory store for every key it ever handed out). Always empty for the cookie store.
   */
  held(): Promise<Map<SessionKey, string>>;
  /** Whether a record exists under `sessionKey` (Redis: `EXISTS`). Always false for the cookie store. */
  holds(sessionKey: SessionKey): Promise<boolean>;
  /** Writes a raw record under a session key, bypassing the store (Redis only: `SET … EX`). */
  writeRecord?(sessionKey: SessionKey, text: string, ttlSeconds: number): Promise<void>;
}

/**
 * A store kind the attacks run against.
 *
 * @example
 * ```ts
 * beforeAll(() => fixture.open())
 * afterAll(() => fixture.close())
 * ```
 */
export interface StoreFixture {
  readonly name: 'cookie' | 'memory' | 'redis' | 'postgres';
  /** Logout and renewal revoke old cookies (memory, Redis, PostgreSQL), which the cookie store cannot do. */
  readonly serverSide: boolean;
  /** Connects what the fixture needs; call in `beforeAll`. */
  open(): Promise<void>;
  /** A store with nothing in it, for one test. */
  fresh(): Promise<StoreHandle>;
  /** Removes what the fixture wrote and disconnects; call in `afterAll`. */
  close(): Promise<void>;
}

/**
 * The cookie store: state travels in the cookie, nothing is held server-side.
 *
 * @example
 * ```ts
 * const { store } = await COOKIE_FIXTURE.fresh()
 * ```
 */
export const COOKIE_FIXTURE: StoreFixture = {
  name: 'cookie',
  serverSide: false,
  open: async () => {},
  fresh: async () => ({ store: new CookieSessionStore(), held: async () => new Map(), holds: async () => false }),
  close: async () => {},
};

/**
 * A fresh `MemorySessionStore` per test, seen through a wrapper that remembers every key it handed out.
 *
 * @example
 * ```ts
 * const { store, held } = await MEMORY_FIXTURE.fresh()
 * ```
 */
export const MEMORY_FIXTURE: StoreFixture = {
  name: 'memory',
  serverSide: true,
  open: async () => {},
  fresh: async () => {
    const inner = new MemorySessionStore();
    const issued = new Set<SessionKey>();
    const store: SessionStore = {
      load: (key) => inner.load(key),
      save: async (state, ttlSeconds) => {
        const key = await inner.save(state, ttlSeconds);
        issued.add(key);
        return key;
      },
      update: (key, state, ttlSeconds) => inner.update(key, state, ttlSeconds),
      updateTtl: (key, ttlSeconds) => inner.updateTtl(key, ttlSeconds),
      delete: (key) => inner.delete(key),
    };
    const held = async (): Promise<Map<SessionKey, string>> => {
      const records = new Map<SessionKey, string>();
      for (const key of issued) {
        const state: SessionState | null = await inner.load(key);
        if (state !== null) records.set(key, serializeState(state));
      }
      // The wrapper must have seen every entry: nothing can live in the store that it did not issue.
      if (inner.size !== records.size) throw new Error(`memory store holds ${inner.size} entries, ${records.size} known`);
      return records;
    };
    return { store, held, holds: async (key) => (await inner.load(key)) !== null };
  },
  close: async () => {},
};

/**
 * A `RedisSessionStore` on database 3 under `keyPrefix` (unique per test file), shared by the
 * file's tests; `fresh()` deletes the prefix's keys first, and `held()` reads Redis itself.
 *
 * @example
 * ```ts
 * const redis = redisFixture('sess-security:fixation:')
 * ```
 */
export function redisFixture(keyPrefix: string): StoreFixture {
  let store: RedisSessionStore | undefined;
  let client: ReturnType<typeof createClient> | undefined;
  const connected = (): ReturnType<typeof createClient> => {
    if (client === undefined) throw new Error('redisFixture: call open() first (in beforeAll)');
    return client;
  };
  const prefixed = async (): Promise<string[]> => {
    const keys: string[] = [];
    for await (const batch of connected().scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 1000 })) keys.push(...batch);
    return keys;
  };
  const removeKeys = async (): Promise<void> => {
    const keys = await prefixed();
    if (keys.length > 0) await connected().del(keys);
  };
  return {
    name: 'redis',
    serverSide: true,
    async open() {
      client = createClient({ url: SECURITY_REDIS_URL });
      client.on('error', () => undefined);
      await client.connect();
      // Leftovers of an interrupted run would only confuse held(); start clean.
      await removeKeys();
      store = new RedisSessionStore({ url: SECURITY_REDIS_URL, keyPrefix });
    },
    async fresh() {
      if (store === undefined) throw new Error('redisFixture: call open() first (in beforeAll)');
      await removeKeys();
      return {
        store,
        held: async () => {
          const records = new Map<SessionKey, string>();
          for (const key of await prefixed()) {
            // The owner index and owner stamps (`<prefix>sess:…`, issue 14) are the store's
            // bookkeeping, not session records (and not strings).
            if (key.startsWith(`${keyPrefix}sess:`)) continue;
            const value = await connected().get(key);
            if (value !== null) records.set(key.slice(keyPrefix.length), value);
          }
          return records;
        },
        holds: async (sessionKey) => (await connected().exists(keyPrefix + sessionKey)) === 1,
        writeRecord: async (sessionKey, text, ttlSeconds) => {
          await connected().set(keyPrefix + sessionKey, text, { expiration: { type: 'EX', value: ttlSeconds } });
        },
      };
    },
    async close() {
      await store?.close();
      store = undefined;
      if (client !== undefined) {
        await removeKeys();
        client.destroy();
        client = undefined;
      }
    },
  };
}
