// Proves the benchmark harness works, without timing anything: real contender processes, the
// sanity pass over real HTTP, and the Redis command accounting on a dedicated redis-server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { send as sendTo, type RedisServer } from '@sess/test-harness';
import { CONTENDERS, contenderId, type Contender } from '../src/contenders.js';
import { buildServers } from '../src/harness/build-servers.js';
import { startContender, type ContenderProcess } from '../src/harness/contender-process.js';
import { startBenchRedis } from '../src/harness/bench-redis.js';
import { countLostUpdates } from '../src/harness/lost-updates.js';
import { startMonitor } from '../src/harness/redis-monitor.js';
import { SanityError, sanityCheck } from '../src/harness/sanity.js';
import { createSessionPool } from '../src/harness/session-pool.js';
import { REDIS_URL_ENV } from '../src/servers/server-settings.js';

const benchDir = resolve(__dirname, '..');

/** One request to a contender on 127.0.0.1. */
function send(port: number, method: 'GET' | 'POST', path: string, cookie?: string) {
  return sendTo(`http://127.0.0.1:${port}${path}`, { method, ...(cookie === undefined ? {} : { cookie }), ...(method === 'POST' ? { body: '' } : {}) });
}
const PICKED = [
  'express/bare',
  'express/sess-cookie-private',
  'koa/noop',
  'koa/sess-redis',
  'koa/koa-session-cookie',
  'koa/koa-session-redis',
  'hono/sess-cookie-signed',
  'fastify/sess-redis',
];

function contender(id: string): Contender {
  const found = CONTENDERS.find((c) => contenderId(c) === id);
  if (found === undefined) throw new Error(`no contender ${id}`);
  return found;
}

describe('bench harness', () => {
  let redis: RedisServer;
  const servers = new Map<string, ContenderProcess>();

  beforeAll(async () => {
    await buildServers(benchDir);
    redis = await startBenchRedis();
    const started = await Promise.allSettled(
      PICKED.map((id) => startContender(contender(id), { benchDir, env: { [REDIS_URL_ENV]: redis.url } })),
    );
    for (const outcome of started) if (outcome.status === 'fulfilled') servers.set(contenderId(outcome.value.contender), outcome.value);
    const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...servers.values()].map((server) => server.stop()));
    await redis?.stop();
  }, 30_000);

  const server = (id: string): ContenderProcess => {
    const found = servers.get(id);
    if (found === undefined) throw new Error(`${id} did not start`);
    return found;
  };

  test.each(PICKED)('%s passes the sanity pass', async (id) => {
    const report = await sanityCheck(contender(id), server(id).port);
    expect(report.id).toBe(id);
    if (id.endsWith('/bare') || id.endsWith('/noop')) {
      expect(report.loadCookie).toBeUndefined();
    } else {
      expect(report.loadCookie).toEqual(expect.any(String));
      expect(report.cookieNames.length).toBeGreaterThan(0);
    }
    if (contender(id).kind === 'sess') expect(report.newVisitorGetsCookie).toBe(false);
  });

  test('koa/sess-redis: the commands its client sends are 1 GET for a read, GET + EVALSHA for a write, none for a new visitor', async () => {
    const { port } = server('koa/sess-redis');
    const { loadCookie } = await sanityCheck(contender('koa/sess-redis'), port);
    const sent = async (method: 'GET' | 'POST', path: string, cookie?: string) => {
      const monitor = await startMonitor(redis.port);
      expect((await send(port, method, path, cookie)).status).toBe(200);
      return monitor.stop();
    };

    expect(await sent('GET', '/read', loadCookie)).toEqual({ get: 1 });
    // The compare-and-update is one script: its inner GET and SET run inside Redis, not sent.
    expect(await sent('POST', '/write', loadCookie)).toEqual({ get: 1, evalsha: 1 });
    expect(await sent('GET', '/read')).toEqual({});
  });

  test('INFO commandstats counts what Redis executed, the script\'s inner calls included; the MONITOR count does not', async () => {
    const { port } = server('koa/sess-redis');
    const { loadCookie } = await sanityCheck(contender('koa/sess-redis'), port);
    await redis.resetStats();
    const monitor = await startMonitor(redis.port);
    expect((await send(port, 'POST', '/write', loadCookie)).status).toBe(200);
    const sent = await monitor.stop();
    const executed = await redis.commandCalls();
    expect(sent).toEqual({ get: 1, evalsha: 1 });
    // The load GET, then inside the script at least its GET and its SET.
    expect(executed.evalsha).toBe(1);
    expect(executed.get).toBeGreaterThanOrEqual(2);
    expect(executed.set).toBeGreaterThanOrEqual(1);
  });

  test('a session pool holds distinct, working sessions; a no-op middleware gets none', async () => {
    const { port } = server('koa/sess-redis');
    const cookies = await createSessionPool(contender('koa/sess-redis'), port, 50);
    expect(new Set(cookies).size).toBe(50);
    for (const cookie of cookies.slice(0, 5)) expect(JSON.parse((await send(port, 'GET', '/read', cookie)).body)).toEqual({ counter: 1 });
    expect(await createSessionPool(contender('koa/noop'), server('koa/noop').port, 50)).toEqual([]);
  });

  test('concurrent writers: @sess on Redis loses no update; koa-session, on a cookie or on Redis, loses some', async () => {
    const settings = { sessions: 3, writers: 8, waves: 2 };
    const sess = await countLostUpdates(contender('koa/sess-redis'), server('koa/sess-redis').port, settings);
    expect(sess).toMatchObject({ expected: 3 * 17, lost: 0, failures: 0 });
    for (const id of ['koa/koa-session-cookie', 'koa/koa-session-redis']) {
      const peer = await countLostUpdates(contender(id), server(id).port, settings);
      expect(peer).toMatchObject({ expected: 3 * 17, failures: 0 });
      expect(peer.lost).toBeGreaterThan(0);
    }
  });

  test('the server process reported is the server itself, so its CPU time can be read', () => {
    const { pid } = server('express/bare');
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).not.toThrow();
  });
});

describe('sanity pass', () => {
  let fake: Server;
  let port: number;
  /** How the fake server misbehaves in the current test. */
  let behaviour: 'stateless' | 'cookie-for-everyone';

  beforeAll(async () => {
    // A small session server (counter per `sid` cookie) that misbehaves as each test asks:
    // 'stateless' forgets every write; 'cookie-for-everyone' gives new visitors a cookie.
    const counters = new Map<string, number>();
    let nextId = 0;
    fake = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      const sid = /sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
      const known = sid !== undefined && counters.has(sid);
      if (req.url === '/write') {
        const id = known ? sid : `s${nextId++}`;
        const counter = behaviour === 'stateless' ? 1 : (counters.get(id) ?? 0) + 1;
        counters.set(id, counter);
        if (!known) res.setHeader('set-cookie', `sid=${id}; Path=/`);
        res.end(JSON.stringify({ counter }));
      } else if (req.url === '/read') {
        if (!known && behaviour === 'cookie-for-everyone') res.setHeader('set-cookie', `sid=s${nextId++}; Path=/`);
        res.end(JSON.stringify({ counter: known ? counters.get(sid) : 0 }));
      } else res.end(JSON.stringify({ ok: true }));
    });
    await new Promise<void>((done) => fake.listen(0, '127.0.0.1', done));
    port = (fake.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((done) => fake.close(() => done()));
  });

  const sessLike: Contender = { framework: 'express', name: 'fake', label: 'fake', kind: 'sess', store: 'cookie' };

  test('rejects a server whose /write does not persist the counter, naming the step', async () => {
    behaviour = 'stateless';
    const failure = sanityCheck(sessLike, port);
    await expect(failure).rejects.toThrow(SanityError);
    await expect(failure).rejects.toThrow('"POST /write with the cookie": expected counter 2, got 1');
  });

  test('rejects an @sess contender that sets a cookie for a visitor who wrote nothing', async () => {
    behaviour = 'cookie-for-everyone';
    await expect(sanityCheck(sessLike, port)).rejects.toThrow('must not set a cookie for a visitor who wrote nothing');
  });

  test('accepts the same behaviour from a peer, and records it', async () => {
    behaviour = 'cookie-for-everyone';
    const report = await sanityCheck({ ...sessLike, kind: 'peer' }, port);
    expect(report.newVisitorGetsCookie).toBe(true);
    expect(report.cookieNames).toEqual(['sid']);
  });
});
