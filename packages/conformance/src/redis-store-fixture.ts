import { RedisSessionStore } from '@sess/redis';
import { createClient } from 'redis';
import type { StoreFixture } from './stores.js';

/**
 * The Redis the suites use: `REDIS_URL`'s server (default 127.0.0.1:6379), always database 2,
 * the conformance suite's own, so its keys never meet another package's tests.
 *
 * @example
 * ```ts
 * createClient({ url: CONFORMANCE_REDIS_URL })
 * ```
 */
export const CONFORMANCE_REDIS_URL = (() => {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  url.pathname = '/2';
  return url.toString();
})();

/**
 * A Redis store shared by every server of one test file (as actix shares one connected store),
 * under `keyPrefix`. `close` deletes the file's keys and disconnects.
 *
 * @example
 * ```ts
 * const redis = redisStoreFixture('sess-conformance:acceptance:')
 * ```
 */
export function redisStoreFixture(keyPrefix: string): StoreFixture {
  let store: RedisSessionStore | undefined;
  const removeKeys = async (): Promise<void> => {
    // No reconnection: with Redis down, connect() rejects at once (a clear failure in beforeAll)
    // instead of retrying until the hook times out.
    const client = createClient({ url: CONFORMANCE_REDIS_URL, socket: { reconnectStrategy: false } });
    // Node.js ends the process on an 'error' event nobody listens to; failures still surface
    // as the rejection of connect() or of the command that hit them.
    client.on('error', () => undefined);
    await client.connect();
    try {
      for await (const keys of client.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 1000 })) {
        if (keys.length > 0) await client.del(keys);
      }
    } finally {
      client.destroy();
    }
  };
  return {
    name: 'redis',
    invalidationSupported: true,
    async open() {
      // Leftovers of an interrupted run would only waste memory; start clean.
      await removeKeys();
      store = new RedisSessionStore({ url: CONFORMANCE_REDIS_URL, keyPrefix });
    },
    store() {
      if (store === undefined) throw new Error('redisStoreFixture: call open() first (in beforeAll)');
      return store;
    },
    async close() {
      await store?.close();
      store = undefined;
      await removeKeys();
    },
  };
}
