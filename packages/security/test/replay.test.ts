import { Key } from '@sess/core';
import { ADAPTERS, type HttpResponse, removesCookie, send, sessionCookie } from '@sess/test-harness';
import { cells, MODES, serverPool, type Cell } from '../src/matrix.js';
import { COUNTER, ECHO, LOGIN, LOGOUT } from '../src/routes.js';
import { openCookie } from '../src/sealing.js';
import { COOKIE_FIXTURE, MEMORY_FIXTURE, redisFixture } from '../src/stores.js';
import { postgresFixture } from '../src/postgres-fixture.js';

// Replay of a copied cookie after the session moved on: after a login renewed the key, and after
// a logout purged it. Server-side stores revoke: the old cookie gives an empty session, costs no
// write and never brings the old state back. The cookie store cannot: a copied cookie keeps
// working until it expires, as SECURITY.md says; these tests pin that down too.

const redis = redisFixture('sess-security:replay:');
const postgres = postgresFixture('sess-security:replay:');
const servers = serverPool();
const routes = [ECHO, COUNTER, LOGIN, LOGOUT];

beforeAll(() => Promise.all([redis.open(), postgres.open()]));
afterAll(() => Promise.all([redis.close(), postgres.close()]));

const seen = (res: HttpResponse) => ({ status: res.status, body: JSON.parse(res.body) as unknown, setCookie: res.setCookie });

async function setUp({ adapter, store, mode }: Cell) {
  const handle = await store.fresh();
  const key = Key.generate();
  const server = await servers.start(adapter, routes, { store: handle.store, key, cookie: { contentSecurity: mode } });
  const anonymous = sessionCookie(await send(`${server.url}/counter`, { method: 'POST' }), 'id')!;
  const loggedIn = sessionCookie(await send(`${server.url}/login?user=ferris`, { method: 'POST', cookie: anonymous }), 'id')!;
  return { ...handle, url: server.url, open: (cookie: string) => openCookie(key, mode, cookie), anonymous, loggedIn };
}

describe.each(cells(ADAPTERS, [MEMORY_FIXTURE, redis, postgres], MODES))('$label', (cell) => {
  test('replay of a renewed session\'s cookie (the pre-login copy) gives an empty session, and a write with it never recreates the old state', async () => {
    const { url, open, holds, anonymous, loggedIn } = await setUp(cell);
    const oldKey = (await open(anonymous))!;
    expect(await holds(oldKey)).toBe(false);

    expect(seen(await send(`${url}/echo`, { cookie: anonymous }))).toEqual({ status: 200, body: {}, setCookie: [] });
    const write = await send(`${url}/counter`, { method: 'POST', cookie: anonymous });
    expect(JSON.parse(write.body)).toEqual({ counter: 1 });
    expect(await open(sessionCookie(write, 'id')!)).not.toBe(oldKey);
    expect(await holds(oldKey)).toBe(false);
    // The renewed session itself is intact.
    expect(JSON.parse((await send(`${url}/echo`, { cookie: loggedIn })).body)).toEqual({ counter: 1, user: 'ferris' });
  });

  test('replay of a logged-out (purged) session\'s cookie gives an empty session, and a write with it never resurrects the logged-out state', async () => {
    const { url, open, holds, held, loggedIn } = await setUp(cell);
    const loggedInKey = (await open(loggedIn))!;
    const logout = await send(`${url}/logout`, { method: 'POST', cookie: loggedIn });
    expect(removesCookie(logout, 'id')).toBe(true);
    expect(await holds(loggedInKey)).toBe(false);

    expect(seen(await send(`${url}/echo`, { cookie: loggedIn }))).toEqual({ status: 200, body: {}, setCookie: [] });
    // The removal cookie sent back is no session either.
    expect(seen(await send(`${url}/echo`, { cookie: 'id=' }))).toEqual({ status: 200, body: {}, setCookie: [] });
    const write = await send(`${url}/counter`, { method: 'POST', cookie: loggedIn });
    expect(JSON.parse(write.body)).toEqual({ counter: 1 });
    expect(await holds(loggedInKey)).toBe(false);
    expect([...(await held()).values()]).toEqual(['{"v":1,"state":{"counter":1}}']);
  });
});

describe.each(cells(ADAPTERS, [COOKIE_FIXTURE], MODES))('$label', (cell) => {
  test('replay of a renewed session\'s cookie still works: the cookie store cannot revoke a copied cookie (documented limitation)', async () => {
    const { url, anonymous, loggedIn } = await setUp(cell);
    expect(seen(await send(`${url}/echo`, { cookie: anonymous }))).toEqual({ status: 200, body: { counter: 1 }, setCookie: [] });
    expect(JSON.parse((await send(`${url}/echo`, { cookie: loggedIn })).body)).toEqual({ counter: 1, user: 'ferris' });
  });

  test('replay of a logged-out session\'s cookie still works until it expires: the cookie store cannot revoke (documented limitation); the removal cookie itself opens nothing', async () => {
    const { url, loggedIn } = await setUp(cell);
    const logout = await send(`${url}/logout`, { method: 'POST', cookie: loggedIn });
    expect(removesCookie(logout, 'id')).toBe(true);
    expect(seen(await send(`${url}/echo`, { cookie: loggedIn }))).toEqual({ status: 200, body: { counter: 1, user: 'ferris' }, setCookie: [] });
    expect(seen(await send(`${url}/echo`, { cookie: 'id=' }))).toEqual({ status: 200, body: {}, setCookie: [] });
  });
});
