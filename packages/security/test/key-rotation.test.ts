import { Key, type SessionEvent } from '@sess/core';
import { ADAPTERS, send, sessionCookie } from '@sess/test-harness';
import { cells, MODES, serverPool } from '../src/matrix.js';
import { COUNTER, ECHO, PUT } from '../src/routes.js';
import { openCookie } from '../src/sealing.js';
import { COOKIE_FIXTURE, MEMORY_FIXTURE, redisFixture } from '../src/stores.js';
import { postgresFixture } from '../src/postgres-fixture.js';

// Key rotation (DESIGN.md improvement 4) as an operator runs it: servers on the old key, then on
// [new, old], then on [new] alone, all over one store. A cookie of the old key is accepted and
// re-issued under the new one while both are listed; once the old key is removed, its cookies
// open nothing, and writing with one starts a new session instead of touching the old state.

const redis = redisFixture('sess-security:key-rotation:');
const postgres = postgresFixture('sess-security:key-rotation:');
const servers = serverPool();

beforeAll(() => Promise.all([redis.open(), postgres.open()]));
afterAll(() => Promise.all([redis.close(), postgres.close()]));

describe.each(cells(ADAPTERS, [COOKIE_FIXTURE, MEMORY_FIXTURE, redis, postgres], MODES))('$label', ({ adapter, store, mode }) => {
  test('key rotation: an old-key cookie is accepted and re-issued under the new key; once the old key is removed, its cookies are rejected and cannot write to the old session', async () => {
    const { store: shared, held } = await store.fresh();
    const [oldKey, newKey] = [Key.generate(), Key.generate()];
    const events: SessionEvent[] = [];
    const options = (key: Key | Key[]) => ({ store: shared, key, cookie: { contentSecurity: mode }, onEvent: (e: SessionEvent) => events.push(e) });
    const routes = [ECHO, PUT, COUNTER];
    const before = await servers.start(adapter, routes, options(oldKey));
    const during = await servers.start(adapter, routes, options([newKey, oldKey]));
    const after = await servers.start(adapter, routes, options(newKey));

    const issued = sessionCookie(await send(`${before.url}/put`, { method: 'POST', body: '{"user":"ferris"}' }), 'id')!;
    const storeKey = await openCookie(oldKey, mode, issued);
    expect(storeKey).not.toBeNull();

    // During the rotation: accepted, and re-issued under the new key for the same session.
    events.length = 0;
    const rotated = await send(`${during.url}/echo`, { cookie: issued });
    expect(rotated.status).toBe(200);
    expect(JSON.parse(rotated.body)).toEqual({ user: 'ferris' });
    expect(events).toEqual([{ type: 'key-rotated', cookieName: 'id', keyIndex: 1 }]);
    const reissued = sessionCookie(rotated, 'id')!;
    expect(reissued).toBeDefined();
    expect(reissued).not.toBe(issued);
    expect(await openCookie(newKey, mode, reissued)).toBe(storeKey);
    expect(await openCookie(oldKey, mode, reissued)).toBeNull();

    // After the rotation: the re-issued cookie works; the old one is rejected.
    const current = await send(`${after.url}/echo`, { cookie: reissued });
    expect({ status: current.status, body: JSON.parse(current.body), setCookie: current.setCookie }).toEqual({
      status: 200,
      body: { user: 'ferris' },
      setCookie: [],
    });
    events.length = 0;
    const removed = await send(`${after.url}/echo`, { cookie: issued });
    expect({ status: removed.status, body: JSON.parse(removed.body), setCookie: removed.setCookie }).toEqual({ status: 200, body: {}, setCookie: [] });
    expect(events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'unauthenticated' }]);

    // Writing with the rejected cookie starts a new session; the old state is untouched.
    const write = await send(`${after.url}/counter`, { method: 'POST', cookie: issued });
    expect(JSON.parse(write.body)).toEqual({ counter: 1 });
    const fresh = sessionCookie(write, 'id')!;
    const freshKey = await openCookie(newKey, mode, fresh);
    expect(freshKey).not.toBe(storeKey);
    if (store.serverSide) {
      const records = await held();
      expect(records.get(storeKey!)).toBe('{"v":1,"state":{"user":"ferris"}}');
      expect(records.get(freshKey!)).toBe('{"v":1,"state":{"counter":1}}');
      expect(records.size).toBe(2);
    }
  });
});
