import { RedisSessionStore } from '@sess/redis';
import { createCluster } from 'redis';
import { freePorts, startReplicatedCluster, stopAllRedisServers, waitFor, type ReplicatedCluster } from '@sess/test-harness';
import { describeReport, usersSeen, waitForReplica, watchCrashes } from './helpers/failover-check.js';
import { logIn, runTraffic, startFailoverApp } from './helpers/failover-traffic.js';
import { uniquePrefix } from './helpers/redis-urls.js';

// A Redis Cluster of three primaries with one replica each, which this file starts on free ports
// in 127.0.0.1:7150–7179 (client and bus ports) and stops afterwards. A replica takes over after
// 1 s without its primary (cluster-node-timeout; Redis' default is 15 s).
const NODE_TIMEOUT_MS = 1000;
const COMMAND_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 5 * COMMAND_TIMEOUT_MS;
// Failure detection (node timeout, then a majority of primaries agreeing), the replica's
// election delay (0.5–1 s), and node-redis noticing the new slot owner.
const RECOVERY_BOUND_MS = NODE_TIMEOUT_MS + 6000;
const USERS = 4;

let cluster: ReplicatedCluster;

beforeAll(async () => {
  const ports = await freePorts(12, 7150, 7179);
  cluster = await startReplicatedCluster({ ports: ports.slice(0, 6), busPorts: ports.slice(6), nodeTimeoutMs: NODE_TIMEOUT_MS });
}, 40_000);

afterAll(async () => {
  await cluster?.stop();
  await stopAllRedisServers();
}, 30_000);

test('a given createCluster client: the primary of the sessions\' slot is killed under traffic; requests succeed again within the bound, only opaque 500s meanwhile, replicated sessions survive', async () => {
  // node-redis asks the cluster for its new layout once a node has been reconnecting this long
  // (default 5 s): the store's README recommends about a second.
  const client = createCluster({ rootNodes: [...cluster.rootNodes], topologyRefreshOnReconnectionAttemptStrategy: 1000 });
  client.on('error', () => undefined);
  await client.connect();
  // A hash tag puts every key of this test (records, owner indexes, the marker) in one slot.
  const prefix = `{${uniquePrefix('cluster-kill')}}`;
  const store = new RedisSessionStore({ client, keyPrefix: prefix, commandTimeoutMs: COMMAND_TIMEOUT_MS });
  const app = await startFailoverApp(store);
  const crashes = watchCrashes();
  try {
    const before = await cluster.primaryOf(`${prefix}marker`);
    const users = await logIn(app.url, 'cluster', 5);
    await waitForReplica(before, `${prefix}marker`);
    const traffic = runTraffic(app.url, USERS, REQUEST_TIMEOUT_MS);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const failedAt = performance.now();
    await cluster.nodes.find((node) => node.port === before)!.kill();
    await waitFor(15_000, 'a replica to take over the slot', async () => (await cluster.primaryOf(`${prefix}marker`)) !== before);
    await traffic.settled(1000, RECOVERY_BOUND_MS);
    const report = await traffic.stop(failedAt);
    console.log(describeReport('Cluster, primary of the slot killed (SIGKILL), given client', report));

    expect(report.hung).toBe(0);
    expect(report.unexpected).toEqual([]);
    expect(report.recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(report.samples.at(-1)?.outcome).toBe(200);
    expect(await usersSeen(app.url, users)).toEqual(users.map(({ user }) => user));
    expect(crashes.stop()).toEqual([]);
  } finally {
    crashes.stop();
    await app.close();
    await store.close();
    client.destroy();
  }
}, 40_000);
