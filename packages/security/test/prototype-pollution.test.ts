import { generateSessionKey, Key, serializeState, type SessionState } from '@sess/core';
import { ADAPTERS, json, type Route, send, sessionCookie } from '@sess/test-harness';
import { cells, MODES, serverPool } from '../src/matrix.js';
import { COUNTER, ECHO, PUT } from '../src/routes.js';
import { openCookie, sealCookie } from '../src/sealing.js';
import { COOKIE_FIXTURE, MEMORY_FIXTURE, redisFixture } from '../src/stores.js';

// Prototype-pollution payloads where an attacker (or anyone who can write a record) puts them:
// in a cookie-store cookie sealed by the server's key, in a Redis record, and in a handler's
// input. `__proto__`, `constructor` and `prototype` must stay ordinary data end to end, nothing
// may reach Object.prototype, and no inherited property may pass for session data.

const redis = redisFixture('sess-security:prototype-pollution:');
const servers = serverPool();

/** Stored records (the text a store holds) and the state each must load as. */
const PAYLOADS: readonly { name: string; record: string; state: string }[] = [
  {
    name: 'current format',
    record:
      '{"v":1,"state":{"__proto__":{"isAdmin":true,"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"nested":{"__proto__":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}}',
    state:
      '{"__proto__":{"isAdmin":true,"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"nested":{"__proto__":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}',
  },
  {
    // actix-session ≤ 0.11 stored every value as a JSON text; migration must not assign through __proto__.
    name: 'legacy all-strings format',
    record: '{"__proto__":"{\\"isAdmin\\":true,\\"polluted\\":\\"yes\\"}","constructor":"{\\"prototype\\":{\\"polluted\\":\\"yes\\"}}"}',
    state: '{"__proto__":{"isAdmin":true,"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
  },
  {
    name: 'unversioned object',
    record: '{"__proto__":{"isAdmin":true},"n":1}',
    state: '{"__proto__":{"isAdmin":true},"n":1}',
  },
];

/** GET `/whoami`: what an authorisation check would read, and whether anything was polluted. */
const WHOAMI: Route = {
  method: 'GET',
  path: '/whoami',
  handle: (session) =>
    json({
      isAdmin: session.get('isAdmin') ?? null,
      hasIsAdmin: session.containsKey('isAdmin'),
      hasToString: session.containsKey('toString'),
      proto: session.get('__proto__') ?? null,
      polluted: Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted') || Object.prototype.hasOwnProperty.call(Object.prototype, 'isAdmin'),
    }),
};

const canonical = (state: unknown): string => serializeState(state as SessionState);

beforeAll(() => redis.open());
afterAll(() => redis.close());
afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
});

describe.each(cells(ADAPTERS, [COOKIE_FIXTURE, redis, MEMORY_FIXTURE], MODES))('$label', ({ adapter, store, mode }) => {
  const where = store.name === 'cookie' ? 'in a sealed cookie' : store.name === 'redis' ? 'in a Redis record' : 'in handler input';

  test(`prototype-pollution payloads ${where} stay plain data: nothing reaches Object.prototype, no inherited property passes for session data, and a write keeps them as data`, async () => {
    const handle = await store.fresh();
    const key = Key.generate();
    const server = await servers.start(adapter, [ECHO, PUT, COUNTER, WHOAMI], { store: handle.store, key, cookie: { contentSecurity: mode } });

    for (const payload of PAYLOADS) {
      let cookie: string;
      if (store.name === 'cookie') {
        // The cookie store's "session key" is the record itself.
        cookie = await sealCookie(key, mode, payload.record);
      } else if (store.name === 'redis') {
        const sessionKey = generateSessionKey();
        await handle.writeRecord!(sessionKey, payload.record, 60);
        cookie = await sealCookie(key, mode, sessionKey);
      } else {
        const put = await send(`${server.url}/put`, { method: 'POST', body: payload.state });
        expect(put.status).toBe(200);
        cookie = sessionCookie(put, 'id')!;
      }

      const echo = await send(`${server.url}/echo`, { cookie });
      expect(echo.status).toBe(200);
      const echoed = JSON.parse(echo.body) as object;
      expect(Object.hasOwn(echoed, '__proto__')).toBe(true);
      expect(canonical(echoed)).toBe(canonical(JSON.parse(payload.state)));

      const whoami = await send(`${server.url}/whoami`, { cookie });
      expect(JSON.parse(whoami.body)).toEqual({
        isAdmin: null,
        hasIsAdmin: false,
        hasToString: false,
        proto: (JSON.parse(payload.state) as { __proto__: unknown }).__proto__,
        polluted: false,
      });

      // A write round trip: the stored state still holds the payload as data, plus the change.
      const write = await send(`${server.url}/counter`, { method: 'POST', cookie });
      expect(write.status).toBe(200);
      const next = sessionCookie(write, 'id') ?? cookie;
      const expected = canonical(Object.assign(JSON.parse(payload.state) as object, { counter: 1 }));
      expect(canonical(JSON.parse((await send(`${server.url}/echo`, { cookie: next })).body))).toBe(expected);
      if (store.serverSide) {
        const sessionKey = (await openCookie(key, mode, next))!;
        expect((await handle.held()).get(sessionKey)).toBe(expected);
      } else {
        expect(await openCookie(key, mode, next)).toBe(expected);
      }
    }
  });
});
