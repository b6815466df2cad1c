import { RedisSessionStore } from '@sess/redis';
import { freePorts, parseInfo, redisCommand, send, startRedisServer, stopAllRedisServers, waitFor, type RedisServer } from '@sess/test-harness';
import { usersSeen, waitForReplica, watchCrashes } from './helpers/failover-check.js';
import { logIn, startFailoverApp } from './helpers/failover-traffic.js';
import { uniquePrefix } from './helpers/redis-urls.js';

// Two servers this file starts on free ports in 127.0.0.1:7180–7189 (a primary and its replica)
// and stops afterwards. The store owns a connection to the primary's address; the test demotes
// that node (REPLICAOF), as a failover does, and later promotes it again, as an address that
// follows the primary (a managed endpoint, a virtual IP) would lead to a primary again.
const COMMAND_TIMEOUT_MS = 1000;
let primary: RedisServer;
let replica: RedisServer;

beforeAll(async () => {
  const [primaryPort, replicaPort] = (await freePorts(2, 7180, 7189)) as [number, number];
  const fastSync = ['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'];
  primary = await startRedisServer({ port: primaryPort, args: fastSync });
  replica = await startRedisServer({ port: replicaPort, args: [...fastSync, '--replicaof', '127.0.0.1', String(primaryPort)] });
}, 30_000);

afterAll(async () => {
  await primary?.stop();
  await replica?.stop();
  await stopAllRedisServers();
}, 30_000);

const role = async (port: number): Promise<string | undefined> => parseInfo(String(await redisCommand(port, ['INFO', 'replication']))).role;

test('a store-owned url connection: a READONLY reply (the node was demoted) makes it reconnect; it reads nothing from the replica and works again once the address serves a primary, without a restart', async () => {
  const prefix = uniquePrefix('demoted');
  const errors: Error[] = [];
  const store = new RedisSessionStore({ url: primary.url, keyPrefix: prefix, commandTimeoutMs: COMMAND_TIMEOUT_MS, onError: (e) => errors.push(e) });
  const app = await startFailoverApp(store);
  const crashes = watchCrashes();
  try {
    const [alice] = await logIn(app.url, 'demoted', 1);
    await waitForReplica(primary.port, `${prefix}marker`);

    // A failover: the replica becomes the primary, the old primary its replica.
    await redisCommand(replica.port, ['REPLICAOF', 'NO', 'ONE']);
    await redisCommand(primary.port, ['REPLICAOF', '127.0.0.1', String(replica.port)]);
    await waitFor(10_000, 'the demoted node to sync', async () => parseInfo(String(await redisCommand(primary.port, ['INFO', 'replication']))).master_link_status === 'up');

    // The write meets READONLY: an opaque 500, and the store leaves that connection.
    const write = await send(`${app.url}/inc`, { method: 'POST', cookie: alice!.cookie });
    expect(write.status).toBe(500);
    expect(write.body).toBe('Internal Server Error');
    // Its new connection finds a replica (ROLE) and is not used: reads fail at once rather than
    // return what a replica holds.
    const read = await send(`${app.url}/`, { cookie: alice!.cookie });
    expect(read.status).toBe(500);
    expect(read.ms).toBeLessThan(COMMAND_TIMEOUT_MS);
    // It keeps checking (ROLE on a fresh connection every commandTimeoutMs) and keeps refusing.
    await new Promise((resolve) => setTimeout(resolve, 2.5 * COMMAND_TIMEOUT_MS));
    const later = await send(`${app.url}/`, { cookie: alice!.cookie });
    expect(later.status).toBe(500);
    expect(later.ms).toBeLessThan(COMMAND_TIMEOUT_MS);

    // The address serves a primary again: within a ROLE retry (commandTimeoutMs) and a reconnect.
    await redisCommand(primary.port, ['REPLICAOF', 'NO', 'ONE']);
    const promotedAt = performance.now();
    await waitFor(4 * COMMAND_TIMEOUT_MS, 'requests to succeed again', async () => (await send(`${app.url}/inc`, { method: 'POST', cookie: alice!.cookie })).status === 200);
    const recoveryMs = performance.now() - promotedAt;
    console.log(`url connection, demoted primary promoted again: requests succeed ${Math.round(recoveryMs)} ms later`);
    expect(await usersSeen(app.url, [alice!])).toEqual([alice!.user]);
    expect(await role(primary.port)).toBe('master');
    expect(errors.some((error) => /READONLY|replica/.test(`${error.message} ${String((error.cause as Error | undefined)?.message)}`))).toBe(false);
    expect(crashes.stop()).toEqual([]);
  } finally {
    crashes.stop();
    await app.close();
    await store.close();
  }
}, 30_000);
