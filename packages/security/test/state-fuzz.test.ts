import { ADAPTERS, send, sessionCookie, sessionErrorOf } from '@sess/test-harness';
import { Key, SaveError, serializeState, type SessionState } from '@sess/core';
import fc from 'fast-check';
import { Agent } from 'node:http';
import { cells, MODES, serverPool } from '../src/matrix.js';
import { overHttp, PROPERTY_TEST_TIMEOUT_MS } from '../src/property-runs.js';
import { ECHO, PUT } from '../src/routes.js';
import { sessionState } from '../src/state-arbitrary.js';
import { COOKIE_FIXTURE, MEMORY_FIXTURE, redisFixture } from '../src/stores.js';

// Item 1, second half: random session state (any Unicode, nesting, `__proto__`/`constructor`
// keys) written by a handler comes back unchanged on the next request, through each adapter and
// store, and through the Redis store itself. States are compared in their canonical serialised
// form (sorted keys), so an own `__proto__` key counts like any other.

const redis = redisFixture('sess-security:state-fuzz:');
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const servers = serverPool();
const canonical = (state: unknown): string => serializeState(state as SessionState);

beforeAll(() => redis.open());
afterAll(async () => {
  agent.destroy();
  await redis.close();
});

describe('redis store (database 3)', () => {
  test('random state saved, loaded and updated through RedisSessionStore is stored byte for byte as its canonical record and comes back unchanged', async () => {
    const { store, held } = await redis.fresh();
    await fc.assert(
      fc.asyncProperty(sessionState, sessionState, async (first, second) => {
        const key = await store.save(first, 60);
        expect((await held()).get(key)).toBe(canonical(first));
        expect(canonical(await store.load(key))).toBe(canonical(first));
        expect(await store.update(key, second, 60)).toBe(key);
        expect((await held()).get(key)).toBe(canonical(second));
        const loaded = await store.load(key);
        expect(Object.getPrototypeOf(loaded)).toBeNull();
        expect(canonical(loaded)).toBe(canonical(second));
        await store.delete(key);
      }),
      overHttp(100),
    );
    expect((await held()).size).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, PROPERTY_TEST_TIMEOUT_MS);
});

describe.each(cells(ADAPTERS, [COOKIE_FIXTURE, MEMORY_FIXTURE, redis], MODES))('$label', ({ adapter, store, mode }) => {
  test('random state written by a handler comes back unchanged on the next request, or is refused with a 500 and no cookie when too big for a cookie', async () => {
    const handle = await store.fresh();
    const server = await servers.start(adapter, [ECHO, PUT], { store: handle.store, key: Key.generate(), cookie: { contentSecurity: mode } });
    await fc.assert(
      fc.asyncProperty(sessionState, async (state) => {
        const put = await send(`${server.url}/put`, { method: 'POST', body: JSON.stringify(state), agent });
        const cookie = sessionCookie(put, 'id');
        if (store.name === 'cookie' && put.status === 500) {
          // Only the cookie store has a size limit (4096 bytes for name=value): a clear refusal.
          expect(put.setCookie).toEqual([]);
          // Sound lower bound: a refused state cannot be small. Percent-encoding at most triples a
          // signed value's bytes; base64 makes a private one 4/3 larger. Below 1,300 bytes both fit.
          expect(Buffer.byteLength(serializeState(state))).toBeGreaterThan(1300);
          expect(sessionErrorOf(server.errors.at(-1))).toBeInstanceOf(SaveError);
          return;
        }
        expect(put.status).toBe(200);
        expect(cookie).toBeDefined();
        expect(canonical(JSON.parse(put.body))).toBe(canonical(state));
        const echo = await send(`${server.url}/echo`, { cookie, agent });
        expect(echo.status).toBe(200);
        expect(canonical(JSON.parse(echo.body))).toBe(canonical(state));
        if (store.serverSide) expect([...(await handle.held()).values()]).toContain(canonical(state));
      }),
      overHttp(40),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, PROPERTY_TEST_TIMEOUT_MS);
});
