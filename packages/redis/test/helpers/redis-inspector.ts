import type { SessionKey } from '@sess/core';
import type { StoreInspector } from '@sess/store-tests';
import { createClient, createCluster } from 'redis';

/** A test's own connection to the server under test (never the store's); errors are ignored. */
export function createAdminClient(url: string) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  return client;
}
/** A test's own connection to a cluster under test; errors are ignored. */
export function createAdminCluster(rootNodes: readonly { url: string }[]) {
  const cluster = createCluster({ rootNodes: [...rootNodes] });
  cluster.on('error', () => undefined);
  return cluster;
}
export type AdminClient = ReturnType<typeof createAdminClient>;
export type AdminCluster = ReturnType<typeof createAdminCluster>;

interface Scannable {
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
}

/** Every Redis key starting with `prefix` (on every master of a cluster). */
export async function keysWithPrefix(redis: AdminClient | AdminCluster, prefix: string): Promise<string[]> {
  const nodes: Scannable[] =
    'masters' in redis ? await Promise.all(redis.masters.map((master) => redis.nodeClient(master))) : [redis];
  const keys: string[] = [];
  for (const node of nodes) {
    for await (const page of node.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...page);
  }
  return keys;
}

/** Deletes every key starting with `prefix` (one `DEL` per key, so it routes on a cluster). */
export async function deleteKeysWithPrefix(redis: AdminClient | AdminCluster, prefix: string): Promise<void> {
  for (const key of await keysWithPrefix(redis, prefix)) await redis.del(key);
}

/**
 * Looks at Redis itself, through the test's own connection, for a store writing under `prefix`:
 * `EXISTS`, `TTL`, raw `SET`, and a count of the keys under the prefix.
 */
export function redisInspector(redis: AdminClient | AdminCluster, prefix: string): Required<StoreInspector> {
  return {
    exists: async (key: SessionKey) => (await redis.exists(prefix + key)) === 1,
    ttlSeconds: async (key: SessionKey) => {
      const ttl = await redis.ttl(prefix + key);
      // TTL answers -2 for a missing key and -1 for a key that never expires.
      return ttl === -2 ? null : ttl === -1 ? Number.POSITIVE_INFINITY : ttl;
    },
    writeRecord: async (key: SessionKey, record: string, ttlSeconds: number) => {
      await redis.set(prefix + key, record, { expiration: { type: 'EX', value: ttlSeconds } });
    },
    count: async () => (await keysWithPrefix(redis, prefix)).length,
  };
}
