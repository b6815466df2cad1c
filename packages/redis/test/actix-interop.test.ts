import { generateSessionKey, type SessionState } from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { COOKIE, startSessionApp } from './helpers/session-app.js';
import { send, sessionCookie } from '@sess/test-harness';
import { sessionKeyOf } from './helpers/session-key.js';
import { createAdminClient, type AdminClient } from './helpers/redis-inspector.js';
import { sharedRedisUrl } from './helpers/redis-urls.js';

// actix-session's RedisSessionStore and this one can share a Redis: identity key mapping by
// default, and the value format of actix-session HEAD (`{"v":1,"state":{…}}`, compact, keys
// sorted by code point at every level), reading its ≤ 0.11 legacy format too. Raw records below
// are written as actix-session writes them (`SET <session key> <json> NX EX <ttl>`), with
// serde_json's spelling. Both sides write the same bytes for strings, integers within ±(2^53 − 1),
// booleans, null, arrays, objects and every other number JavaScript can hold (spelled as
// serde_json spells it: `1e21`), except a Rust f64 with no fraction (`100.0` is written `100`); and
// a string with a lone surrogate is written as an escape serde_json refuses (README, "Keys and
// records").
const url = sharedRedisUrl();
let admin: AdminClient;
let store: RedisSessionStore;
// Session keys are 64 random characters: no prefix needed to avoid other tests, only cleanup.
const written = new Set<string>();

beforeAll(async () => {
  admin = createAdminClient(url);
  await admin.connect();
  store = new RedisSessionStore({ url });
});
afterAll(async () => {
  for (const key of written) await admin.del(key);
  await store.close();
  admin.destroy();
});

async function actixWrites(record: string): Promise<string> {
  const key = generateSessionKey();
  written.add(key);
  expect(await admin.set(key, record, { condition: 'NX', expiration: { type: 'EX', value: 60 } })).toBe('OK');
  return key;
}

describe('RedisSessionStore and actix-session share records', () => {
  it('loads a record written by actix-session HEAD', async () => {
    const key = await actixWrites('{"v":1,"state":{"counter":100,"user_id":"ferris"}}');
    expect(await store.load(key)).toEqual({ counter: 100, user_id: 'ferris' });
  });

  it('loads a record written by actix-session 0.11 and earlier (every value a JSON text)', async () => {
    const key = await actixWrites('{"counter":"100","user_id":"\\"ferris\\"","roles":"[\\"admin\\"]","profile":"{\\"age\\": 7}"}');
    expect(await store.load(key)).toEqual({ counter: 100, user_id: 'ferris', roles: ['admin'], profile: { age: 7 } });
  });

  it('reads the numbers serde_json writes as the same values, and writes them in serde_json spelling', async () => {
    const key = await actixWrites('{"v":1,"state":{"big":1e21,"ratio":0.25,"tiny":1.5e-7,"whole":100.0}}');
    const state = await store.load(key);
    expect(state).toEqual({ big: 1e21, ratio: 0.25, tiny: 1.5e-7, whole: 100 });
    expect(await store.update(key, state as SessionState, 60)).toBe(key);
    // serde_json's spelling (1e21, not JavaScript's 1e+21); the one documented difference left:
    // JavaScript has no f64 100.0 distinct from the integer 100.
    expect(await admin.get(key)).toBe('{"v":1,"state":{"big":1e21,"ratio":0.25,"tiny":1.5e-7,"whole":100}}');
  });

  it('writes under the session key itself exactly the bytes actix-session writes', async () => {
    const key = await store.save({ user_id: 'ferris', counter: 100, nested: { b: [1, { d: 1, c: 2 }], a: null }, é: 'ü' }, 60);
    written.add(key);
    expect(await admin.get(key)).toBe(
      '{"v":1,"state":{"counter":100,"nested":{"a":null,"b":[1,{"c":2,"d":1}]},"user_id":"ferris","é":"ü"}}',
    );
    expect(await admin.ttl(key)).toBeGreaterThan(58);
    expect(await store.update(key, { counter: 101, user_id: 'ferris' }, 60)).toBe(key);
    expect(await admin.get(key)).toBe('{"v":1,"state":{"counter":101,"user_id":"ferris"}}');
  });

  it('serves a session whose record was rewritten in the legacy format, through the lifecycle', async () => {
    const app = await startSessionApp({ store });
    try {
      const first = await send(`${app.url}/inc`, { method: 'POST' });
      const cookie = sessionCookie(first, COOKIE) as string;
      const key = sessionKeyOf(cookie);
      written.add(key);
      // actix-session 0.11 sharing the Redis writes the state its way.
      await admin.set(key, '{"counter":"41","user":"\\"ferris\\""}', { expiration: { type: 'EX', value: 60 } });
      const read = await send(app.url, { cookie });
      expect(JSON.parse(read.body)).toEqual({ user: 'ferris', counter: 41 });
      const next = await send(`${app.url}/inc`, { method: 'POST', cookie });
      expect(JSON.parse(next.body)).toEqual({ user: 'ferris', counter: 42 });
      // Written back in the current format, which actix-session HEAD reads.
      expect(await admin.get(key)).toBe('{"v":1,"state":{"counter":42,"user":"ferris"}}');
    } finally {
      await app.close();
    }
  });
});
