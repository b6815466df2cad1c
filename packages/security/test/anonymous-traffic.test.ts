import { Agent } from 'node:http';
import { Key } from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { ADAPTERS, type HttpRequest, type RedisServer, send, sessionCookie, startRedisServer } from '@sess/test-harness';
import { serverPool } from '../src/matrix.js';
import { COUNTER, ECHO, LOGOUT } from '../src/routes.js';
import { sealCookie } from '../src/sealing.js';

// Anonymous traffic must cost Redis nothing: 10,000 requests per adapter from visitors without a
// usable session (no cookie, unrelated cookies, forged, foreign-key, oversize and empty session
// cookies, logouts of nobody) leave the database empty and send Redis not one command. Counted
// by Redis itself (DBSIZE, INFO commandstats) on a redis-server of this file's own.

const REQUESTS = 10_000;
const PARALLEL = 16;
const servers = serverPool();
let redis: RedisServer;
let agent: Agent;

beforeAll(async () => {
  redis = await startRedisServer({ portRange: { first: 7200, last: 7249 } }) // this package's slice of the port plan;
}, 20_000);
afterAll(() => redis?.stop());
beforeEach(() => (agent = new Agent({ keepAlive: true, maxSockets: PARALLEL })));
afterEach(() => agent.destroy());

describe.each(ADAPTERS)('$name × redis (a redis-server of its own)', (adapter) => {
  test(`${REQUESTS.toLocaleString('en')} anonymous requests (no, unrelated, forged, foreign-key, oversize or empty cookies; logouts of nobody) send Redis no command and leave it empty`, async () => {
    await redis.resetStats();
    const store = new RedisSessionStore({ url: redis.url });
    try {
      const server = await servers.start(adapter, [ECHO, COUNTER, LOGOUT], { store, key: Key.generate() });
      // A perfectly valid cookie, sealed by a key this server does not have.
      const foreign = await sealCookie(Key.generate(), 'private', 'a'.repeat(64));
      const visits: readonly ((i: number) => [path: string, init: HttpRequest])[] = [
        () => ['/echo', {}],
        (i) => ['/echo', { cookie: `theme=dark; lang=en; visit=${i}` }],
        (i) => ['/echo', { cookie: `id=${Buffer.from(`forged-${i}-`.repeat(4)).toString('base64').replace(/=/g, '%3D')}` }],
        () => ['/echo', { cookie: foreign }],
        () => ['/echo', { cookie: `id=${'A'.repeat(5000)}` }],
        () => ['/echo', { cookie: 'id=' }],
        () => ['/logout', { method: 'POST' }],
        (i) => ['/logout', { method: 'POST', cookie: `id=forged-${i}` }],
      ];
      let next = 0;
      const failures: string[] = [];
      const worker = async (): Promise<void> => {
        while (next < REQUESTS) {
          const i = next++;
          const [path, init] = (visits[i % visits.length] as (i: number) => [string, HttpRequest])(i);
          const res = await send(`${server.url}${path}`, { ...init, agent });
          // No session may be issued: at most the removal cookie answering a logout.
          const issued = sessionCookie(res, 'id');
          if (res.status !== 200 || (issued !== undefined && issued !== 'id=')) failures.push(`${path} ${init.cookie ?? ''}: ${res.status} ${issued}`);
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, worker));
      expect(next).toBe(REQUESTS);
      expect(failures).toEqual([]);
      expect(await redis.commandCalls()).toEqual({});
      expect(await redis.dbSize()).toBe(0);

      // Control: the counters do see the store as soon as one visitor writes.
      const write = await send(`${server.url}/counter`, { method: 'POST', agent });
      expect(sessionCookie(write, 'id')).toBeDefined();
      expect(await redis.commandCalls()).toMatchObject({ set: 1 });
      expect(await redis.dbSize()).toBe(1);
    } finally {
      await store.close();
      await redis.resetStats();
      await redis.flush();
    }
  }, 120_000); // 10,000 requests: seconds on an idle host, much longer on a loaded CI host
});
