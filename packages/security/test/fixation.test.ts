import { generateSessionKey, Key } from '@sess/core';
import { ADAPTERS, send, sessionCookie } from '@sess/test-harness';
import { cells, MODES, serverPool } from '../src/matrix.js';
import { COUNTER, ECHO, LOGIN } from '../src/routes.js';
import { openCookie, sealCookie } from '../src/sealing.js';
import { COOKIE_FIXTURE, MEMORY_FIXTURE, redisFixture } from '../src/stores.js';
import { postgresFixture } from '../src/postgres-fixture.js';

// Session fixation: the attacker plants a session cookie in the victim's browser and waits for
// the victim to make it valuable. Two variants: a cookie carrying a session key the server never
// issued (sealed here with the server's own Key, standing in for a key issued long ago or leaked),
// and a real session of the attacker's that the victim then logs in with.

const redis = redisFixture('sess-security:fixation:');
const postgres = postgresFixture('sess-security:fixation:');
const servers = serverPool();
const routes = [ECHO, COUNTER, LOGIN];

beforeAll(() => Promise.all([redis.open(), postgres.open()]));
afterAll(() => Promise.all([redis.close(), postgres.close()]));

describe.each(cells(ADAPTERS, [MEMORY_FIXTURE, redis, postgres], MODES))('$label', ({ adapter, store, mode }) => {
  test('a fixation attempt with a never-issued key stores nothing under the attacker\'s key: a write, or a login, is given a different key', async () => {
    const { store: sessionStore, held, holds } = await store.fresh();
    const key = Key.generate();
    const server = await servers.start(adapter, routes, { store: sessionStore, key, cookie: { contentSecurity: mode } });
    const attackerKey = generateSessionKey();
    const planted = await sealCookie(key, mode, attackerKey);

    // The planted cookie opens (the key sealed it) but holds nothing.
    const visit = await send(`${server.url}/echo`, { cookie: planted });
    expect({ status: visit.status, body: JSON.parse(visit.body), setCookie: visit.setCookie }).toEqual({ status: 200, body: {}, setCookie: [] });

    for (const [path, state] of [
      ['/counter', { counter: 1 }],
      ['/login?user=victim', { user: 'victim' }],
    ] as const) {
      const write = await send(`${server.url}${path}`, { method: 'POST', cookie: planted });
      expect(write.status).toBe(200);
      const issued = sessionCookie(write, 'id')!;
      const issuedKey = await openCookie(key, mode, issued);
      expect(issuedKey).not.toBeNull();
      expect(issuedKey).not.toBe(attackerKey);
      expect(await holds(attackerKey)).toBe(false);
      expect((await held()).get(issuedKey!)).toBe(JSON.stringify({ v: 1, state }));
      // The attacker's copy still opens nothing.
      expect(JSON.parse((await send(`${server.url}/echo`, { cookie: planted })).body)).toEqual({});
    }
    expect([...(await held()).keys()]).not.toContain(attackerKey);
  });
});

describe.each(cells(ADAPTERS, [COOKIE_FIXTURE, MEMORY_FIXTURE, redis, postgres], MODES))('$label', ({ adapter, store, mode }) => {
  test('a fixation attempt with the attacker\'s own issued session: the victim\'s login renews the key, and the planted cookie never sees the logged-in user', async () => {
    const { store: sessionStore, holds } = await store.fresh();
    const key = Key.generate();
    const server = await servers.start(adapter, routes, { store: sessionStore, key, cookie: { contentSecurity: mode } });

    const planted = sessionCookie(await send(`${server.url}/counter`, { method: 'POST' }), 'id')!;
    const plantedKey = (await openCookie(key, mode, planted))!;

    const login = await send(`${server.url}/login?user=victim`, { method: 'POST', cookie: planted });
    const victim = sessionCookie(login, 'id')!;
    expect(victim).not.toBe(planted);
    expect(await openCookie(key, mode, victim)).not.toBe(plantedKey);
    expect(JSON.parse((await send(`${server.url}/echo`, { cookie: victim })).body)).toEqual({ counter: 1, user: 'victim' });

    const attacker = JSON.parse((await send(`${server.url}/echo`, { cookie: planted })).body) as Record<string, unknown>;
    expect(attacker.user).toBeUndefined();
    if (store.serverSide) {
      // renew() deleted the planted key: the attacker's cookie is now worthless.
      expect(attacker).toEqual({});
      expect(await holds(plantedKey)).toBe(false);
    } else {
      // The cookie store cannot revoke: the attacker keeps only the state it had before the login.
      expect(attacker).toEqual({ counter: 1 });
    }
  });
});
