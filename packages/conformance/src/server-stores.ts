import { MemorySessionStore, type SessionStore } from '@sess/core';
import { RedisSessionStore, type RedisSessionClient } from '@sess/redis';
import { createClient, createCluster } from 'redis';
import { startRedisCluster, type RedisCluster } from '@sess/test-harness';
import { CONFORMANCE_REDIS_URL } from './redis-store-fixture.js';

/**
 * A store made for one test, with a look at what it holds.
 *
 * @example
 * ```ts
 * const { store, records } = fixture.make(clock.now)
 * expect(await records()).toBe(0)
 * ```
 */
export interface InspectedStore {
  readonly store: SessionStore;
  /** How many session records the store holds (owner indexes and revocation stamps not counted). */
  records(): Promise<number>;
  /** Removes what this store wrote (Redis) and closes it. */
  dispose(): Promise<void>;
}

/** Options of {@link ServerStoreFixture.make}. */
export interface MakeOptions {
  readonly now?: () => number;
  readonly cacheKeygen?: (sessionKey: string) => string;
}

/**
 * A server-side store of the issue 13–15 matrices: memory, Redis on one server, Redis Cluster.
 *
 * @example
 * ```ts
 * const fixtures = serverStoreFixtures('concurrency', CLUSTER_PORTS.concurrency)
 * beforeAll(() => Promise.all(fixtures.map((f) => f.open())), 60_000)
 * ```
 */
export interface ServerStoreFixture {
  readonly name: 'memory' | 'redis' | 'redis-cluster';
  /** Connects (and for the cluster, starts it); call in `beforeAll`. */
  open(): Promise<void>;
  /**
   * A fresh store for one test, under a key prefix of its own. `now` is the test clock the
   * memory store honours; Redis expires keys in real time, and the session deadlines come from
   * the timestamps in the records, so a moved clock still applies to them. `cacheKeygen` is
   * given to Redis stores (the memory store has none).
   */
  make(options?: MakeOptions): InspectedStore;
  /** Disconnects (and stops the cluster); call in `afterAll`. */
  close(): Promise<void>;
}

/**
 * Client and bus ports of the Redis Cluster each conformance file starts (three masters), in
 * this package's slice of the test port plan, 7260–7299 (see `@sess/test-harness`'s README);
 * `timeouts-http.test.ts` also starts a server on {@link COUNTING_PORT}.
 *
 * @example
 * ```ts
 * serverStoreFixtures('owners', CLUSTER_PORTS.owners)
 * ```
 */
export const CLUSTER_PORTS = Object.freeze({
  concurrency: { ports: [7260, 7261, 7262], busPorts: [7290, 7291, 7292] },
  owners: { ports: [7263, 7264, 7265], busPorts: [7293, 7294, 7295] },
  timeouts: { ports: [7266, 7267, 7268], busPorts: [7296, 7297, 7298] },
});

/**
 * The port of the redis-server `timeouts-http.test.ts` starts to count commands on (nothing else
 * talks to it).
 *
 * @example
 * ```ts
 * const counting = await startRedisServer({ port: COUNTING_PORT })
 * ```
 */
export const COUNTING_PORT = 7269;

type Scannable = { scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]> };
interface RedisConnection {
  readonly client: RedisSessionClient;
  /** Every node holding keys: the server, or each master of the cluster. */
  nodes(): Promise<Scannable[]>;
  del(key: string): Promise<unknown>;
  close(): Promise<void>;
}

/** Session records are `<prefix><64-character key>`; the owner index and stamps live under `<prefix>sess:`. */
const isRecord = (key: string, prefix: string): boolean => !key.startsWith(`${prefix}sess:`);

function redisFixture(name: 'redis' | 'redis-cluster', label: string, connect: () => Promise<RedisConnection>): ServerStoreFixture {
  let connection: RedisConnection | undefined;
  let made = 0;
  const run = `sess-conformance:${label}:${process.pid}-${Date.now().toString(36)}:`;
  const keysUnder = async (prefix: string): Promise<string[]> => {
    const keys: string[] = [];
    for (const node of await connection!.nodes()) {
      for await (const page of node.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...page);
    }
    return keys;
  };
  return {
    name,
    async open() {
      connection = await connect();
    },
    make({ cacheKeygen } = {}) {
      if (connection === undefined) throw new Error(`${name} fixture: call open() first (in beforeAll)`);
      const prefix = `${run}${made++}:`;
      const store = new RedisSessionStore({ client: connection.client, keyPrefix: prefix, ...(cacheKeygen ? { cacheKeygen } : {}) });
      return {
        store,
        records: async () => (await keysUnder(prefix)).filter((key) => isRecord(key, prefix)).length,
        async dispose() {
          await store.close();
          // One DEL per key, so that it routes on a cluster.
          for (const key of await keysUnder(prefix)) await connection!.del(key);
        },
      };
    },
    async close() {
      await connection?.close();
      connection = undefined;
    },
  };
}

function memoryFixture(): ServerStoreFixture {
  return {
    name: 'memory',
    open: async () => {},
    make({ now } = {}) {
      const store = new MemorySessionStore(now === undefined ? {} : { now });
      return { store, records: async () => store.size, dispose: async () => {} };
    },
    close: async () => {},
  };
}

/**
 * The server-side stores of a test file: memory, Redis (the shared server, database 2) and a
 * Redis Cluster of three masters that this file starts on `cluster` ports and stops in `close`.
 * Every store `make` returns has a key prefix of its own, so tests can count records exactly.
 *
 * @example
 * ```ts
 * const fixtures = serverStoreFixtures('owners', CLUSTER_PORTS.owners)
 * ```
 */
export function serverStoreFixtures(label: string, cluster: { ports: readonly number[]; busPorts: readonly number[] }): ServerStoreFixture[] {
  return [
    memoryFixture(),
    redisFixture('redis', label, async () => {
      const client = createClient({ url: CONFORMANCE_REDIS_URL, socket: { reconnectStrategy: false } });
      client.on('error', () => undefined);
      await client.connect();
      return { client, nodes: async () => [client as Scannable], del: (key) => client.del(key), close: async () => client.destroy() };
    }),
    redisFixture('redis-cluster', label, async () => {
      const started: RedisCluster = await startRedisCluster(cluster);
      const client = createCluster({ rootNodes: [...started.rootNodes] });
      client.on('error', () => undefined);
      try {
        await client.connect();
      } catch (error) {
        await started.stop();
        throw error;
      }
      return {
        client,
        nodes: () => Promise.all(client.masters.map(async (master) => (await client.nodeClient(master)) as Scannable)),
        del: (key) => client.del(key),
        async close() {
          await client.close();
          await started.stop();
        },
      };
    }),
  ];
}
