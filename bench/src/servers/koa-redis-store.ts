import { createClient } from 'redis';

/** koa-session's external store contract (see its README, "External Session Stores"). */
export interface KoaSessionExternalStore {
  get(key: string): Promise<Record<string, unknown> | undefined>;
  set(key: string, session: Record<string, unknown>, maxAgeMs: number): Promise<void>;
  destroy(key: string): Promise<void>;
}

/** A koa-session store and the Redis connection it owns. */
export interface KoaRedisStore {
  readonly store: KoaSessionExternalStore;
  close(): Promise<void>;
}

/**
 * The small Redis store koa-session's README asks for, on its own node-redis client: one JSON
 * string per session, written with its TTL in the same `SET … PX` (koa-session hands over the
 * cookie's max age plus 10 s, in ms).
 *
 * @param url the Redis server
 * @param prefix prepended to koa-session's external keys
 *
 * @example
 * ```ts
 * const { store, close } = await createKoaRedisStore('redis://127.0.0.1:6379', 'koa:')
 * app.use(session({ store }, app))
 * ```
 */
export async function createKoaRedisStore(url: string, prefix: string): Promise<KoaRedisStore> {
  const client = createClient({ url });
  client.on('error', () => {
    // A lost connection fails requests (the sanity pass and error counts show it); nothing to log here.
  });
  await client.connect();
  const store: KoaSessionExternalStore = {
    async get(key) {
      const raw = await client.get(prefix + key);
      return raw === null ? undefined : (JSON.parse(raw) as Record<string, unknown>);
    },
    async set(key, session, maxAgeMs) {
      await client.set(prefix + key, JSON.stringify(session), { expiration: { type: 'PX', value: maxAgeMs } });
    },
    async destroy(key) {
      await client.del(prefix + key);
    },
  };
  return { store, close: async () => void (await client.close()) };
}
