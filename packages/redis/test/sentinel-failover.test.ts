import { SessionConfigError } from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { createSentinel } from 'redis';
import { freePorts, parseInfo, redisCommand, startSentinelTopology, stopAllRedisServers, waitFor, type SentinelTopology } from '@sess/test-harness';
import { describeReport, usersSeen, waitForReplica, watchCrashes } from './helpers/failover-check.js';
import { logIn, runTraffic, startFailoverApp, warmUp } from './helpers/failover-traffic.js';
import { uniquePrefix } from './helpers/redis-urls.js';

// One primary, one replica and three sentinels that this file starts on free ports in
// 127.0.0.1:7050–7069 and stops afterwards. Sentinels call a primary down after 1 s of silence
// (production: 5–30 s), so a failover takes seconds.
const DOWN_AFTER_MS = 1000;
const COMMAND_TIMEOUT_MS = 1000;
// A request makes at most a few store calls, each bounded by commandTimeoutMs.
const REQUEST_TIMEOUT_MS = 5 * COMMAND_TIMEOUT_MS;
// Sentinel's own detection, then its election, the promotion and the client's switch.
const RECOVERY_BOUND_MS = DOWN_AFTER_MS + 5000;
const USERS = 4;

let topology: SentinelTopology;

beforeAll(async () => {
  const [primaryPort, replicaPort, ...sentinelPorts] = (await freePorts(5, 7050, 7069)) as [number, number, ...number[]];
  topology = await startSentinelTopology({ primaryPort, replicaPort, sentinelPorts, downAfterMs: DOWN_AFTER_MS });
}, 30_000);

afterAll(async () => {
  await topology?.stop();
  await stopAllRedisServers();
}, 30_000);

test('a given createSentinel client that reads from replicas (replicaPoolSize > 0) is refused: calls fail with a SessionConfigError, nothing is read from a replica', async () => {
  const sentinel = createSentinel({ name: topology.name, sentinelRootNodes: [...topology.sentinelNodes], replicaPoolSize: 1 });
  sentinel.on('error', () => undefined);
  await sentinel.connect();
  const store = new RedisSessionStore({ client: sentinel, keyPrefix: uniquePrefix('sentinel-replicas') });
  try {
    const failure = await store.load('a'.repeat(64)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error).cause).toBeInstanceOf(SessionConfigError);
    expect(String((failure as Error).cause)).toContain('replicaPoolSize');
  } finally {
    await store.close();
    await sentinel.close();
  }
}, 20_000);

test('a given createSentinel client: a switchover demotes the primary it writes to; requests recover without a restart, EVALSHA falls back to EVAL on the new primary', async () => {
  const sentinel = createSentinel({ name: topology.name, sentinelRootNodes: [...topology.sentinelNodes] });
  sentinel.on('error', () => undefined);
  await sentinel.connect();
  const prefix = uniquePrefix('sentinel-switchover');
  const store = new RedisSessionStore({ client: sentinel, keyPrefix: prefix, commandTimeoutMs: COMMAND_TIMEOUT_MS });
  const app = await startFailoverApp(store);
  const crashes = watchCrashes();
  try {
    const before = await topology.primaryPort();
    const users = await logIn(app.url, 'switchover', 5);
    await waitForReplica(before, `${prefix}marker`);
    const traffic = runTraffic(app.url, USERS, REQUEST_TIMEOUT_MS);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const failedAt = performance.now();
    expect(await redisCommand(topology.sentinelNodes[0]!.port, ['SENTINEL', 'FAILOVER', topology.name])).toBe('OK');
    const after = await topology.waitForNewPrimary(before, 10_000);
    // The sentinels turn the old primary into a replica of the new one once they next poll it
    // (up to 10 s later); this does it at once, as they would: a client still writing to it
    // meets READONLY.
    await redisCommand(before, ['REPLICAOF', '127.0.0.1', String(after)]);
    await waitFor(10_000, 'the old primary to be a replica', async () => parseInfo(String(await redisCommand(before, ['INFO', 'replication']))).role === 'slave');
    await traffic.settled(1000, RECOVERY_BOUND_MS);
    const report = await traffic.stop(failedAt);
    console.log(describeReport('Sentinel switchover (SENTINEL FAILOVER), given client', report));

    expect(report.hung).toBe(0);
    expect(report.unexpected).toEqual([]);
    expect(report.recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(report.samples.at(-1)?.outcome).toBe(200);
    // The new primary had never run the compare-and-update script: EVALSHA met NOSCRIPT there and
    // the store sent EVAL, after which the counters kept counting.
    const errors = parseInfo(String(await redisCommand(after, ['INFO', 'errorstats'])));
    expect(errors.errorstat_NOSCRIPT).toMatch(/^count=[1-9]/);
    expect(await usersSeen(app.url, users)).toEqual(users.map(({ user }) => user));
    expect(crashes.stop()).toEqual([]);
  } finally {
    crashes.stop();
    await app.close();
    await store.close();
    await sentinel.close();
  }
}, 30_000);

test('a store-owned sentinel connection: the primary is killed under traffic; requests succeed again within the bound, only opaque 500s meanwhile, replicated sessions survive', async () => {
  const errors: Error[] = [];
  const prefix = uniquePrefix('sentinel-kill');
  const store = new RedisSessionStore({
    sentinel: { name: topology.name, sentinels: topology.sentinelNodes },
    keyPrefix: prefix,
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
    onError: (error) => errors.push(error),
  });
  const app = await startFailoverApp(store);
  const crashes = watchCrashes();
  try {
    const before = await topology.primaryPort();
    await warmUp(app.url, 10_000);
    const users = await logIn(app.url, 'killed', 5);
    await waitForReplica(before, `${prefix}marker`);
    const traffic = runTraffic(app.url, USERS, REQUEST_TIMEOUT_MS);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const failedAt = performance.now();
    await topology.nodes.find((node) => node.port === before)!.kill();
    await topology.waitForNewPrimary(before, 15_000);
    await traffic.settled(1000, RECOVERY_BOUND_MS);
    const report = await traffic.stop(failedAt);
    console.log(describeReport('Sentinel, primary killed (SIGKILL), store-owned connection', report));

    expect(report.hung).toBe(0);
    expect(report.unexpected).toEqual([]);
    expect(report.recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(report.samples.at(-1)?.outcome).toBe(200);
    expect(await usersSeen(app.url, users)).toEqual(users.map(({ user }) => user));
    expect(crashes.stop()).toEqual([]);
    // The outage was reported to onError, not thrown at the process.
    expect(errors.length).toBeGreaterThan(0);
  } finally {
    crashes.stop();
    await app.close();
    await store.close();
  }
}, 40_000);
