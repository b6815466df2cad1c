import { describeSessionStore } from '@sess/store-tests';
import { RedisSessionStore } from '@sess/redis';
import { type RedisCluster, startRedisCluster, stopAllRedisServers } from '@sess/test-harness';
import { createAdminCluster, deleteKeysWithPrefix, keysWithPrefix, redisInspector, type AdminCluster } from './helpers/redis-inspector.js';
import { uniquePrefix } from './helpers/redis-urls.js';

// The conformance suite against a real Redis Cluster of three masters that this file starts on
// 127.0.0.1:7000–7002 (bus ports 7040–7042) and stops afterwards. The store gets a cluster
// client the test owns; its single-key commands are routed to whichever master owns each key.
let cluster: RedisCluster;
let client: AdminCluster;
const runPrefix = uniquePrefix('suite-cluster');
let fixtures = 0;

beforeAll(async () => {
  cluster = await startRedisCluster({ ports: [7000, 7001, 7002], busPorts: [7040, 7041, 7042] });
  client = createAdminCluster(cluster.rootNodes);
  await client.connect();
}, 60_000);

afterAll(async () => {
  await client?.close();
  await cluster?.stop();
  await stopAllRedisServers();
}, 30_000);

describeSessionStore(
  'RedisSessionStore({ client: createCluster() }) on a 3-master Redis Cluster',
  () => {
    const prefix = `${runPrefix}${fixtures++}:`;
    const store = new RedisSessionStore({ client, keyPrefix: prefix });
    return {
      store,
      inspect: redisInspector(client, prefix),
      teardown: async () => {
        await store.close();
        await deleteKeysWithPrefix(client, prefix);
      },
    };
  },
  { rawRecords: true, compareAndUpdate: true, ownerIndex: true },
);

describe('RedisSessionStore on a 3-master Redis Cluster', () => {
  it('spreads sessions over every master', async () => {
    const prefix = `${runPrefix}spread:`;
    const store = new RedisSessionStore({ client, keyPrefix: prefix });
    const keys = await Promise.all(Array.from({ length: 60 }, (_, i) => store.save({ i }, 60)));
    const perMaster = await Promise.all(
      client.masters.map(async (master) => {
        const node = await client.nodeClient(master);
        let count = 0;
        for await (const page of node.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) count += page.length;
        return count;
      }),
    );
    expect(perMaster).toHaveLength(3);
    // 60 random keys over 3 masters: each holds some (a master with none would mean no routing).
    for (const count of perMaster) expect(count).toBeGreaterThan(0);
    expect(perMaster.reduce((a, b) => a + b, 0)).toBe(keys.length);
    for (const [i, key] of keys.entries()) expect(await store.load(key)).toEqual({ i });
    expect(await keysWithPrefix(client, prefix)).toHaveLength(60);
    await deleteKeysWithPrefix(client, prefix);
  });
});
