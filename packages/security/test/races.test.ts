import { Key, type SessionEvent } from '@sess/core';
import { ADAPTERS, removesCookie, send, sessionCookie } from '@sess/test-harness';
import { createGate } from '../src/gate.js';
import { cells, MODES, serverPool, type Cell } from '../src/matrix.js';
import { ECHO, LOGIN, LOGOUT, RENEW, slowRenewRoute, slowRoute } from '../src/routes.js';
import { openCookie } from '../src/sealing.js';
import { MEMORY_FIXTURE, redisFixture } from '../src/stores.js';
import { postgresFixture } from '../src/postgres-fixture.js';

// A slow request loads a session, waits (a slow database call), and writes; meanwhile another
// request logs the session out or renews its key. DESIGN.md improvement 9: the slow write must
// find the state gone and drop its changes (clearing its cookie) instead of resurrecting it, as
// actix-session would by saving the old state under a new key.

const redis = redisFixture('sess-security:races:');
const postgres = postgresFixture('sess-security:races:');
const servers = serverPool();

beforeAll(() => Promise.all([redis.open(), postgres.open()]));
afterAll(() => Promise.all([redis.close(), postgres.close()]));

async function setUp({ adapter, store, mode }: Cell, slowPath: '/slow' | '/elevate' = '/slow') {
  const handle = await store.fresh();
  const key = Key.generate();
  const gate = createGate();
  const events: SessionEvent[] = [];
  const server = await servers.start(adapter, [ECHO, LOGIN, LOGOUT, RENEW, slowRoute(gate), slowRenewRoute(gate)], {
    store: handle.store,
    key,
    cookie: { contentSecurity: mode },
    onEvent: (event) => events.push(event),
  });
  const cookie = sessionCookie(await send(`${server.url}/login?user=ferris`, { method: 'POST' }), 'id')!;
  const sessionKey = (await openCookie(key, mode, cookie))!;
  // The slow request has loaded the logged-in state and now waits at the gate.
  const slow = send(`${server.url}${slowPath}`, { method: 'POST', cookie });
  await gate.reached;
  return { ...handle, url: server.url, gate, events, cookie, sessionKey, slow, open: (c: string) => openCookie(key, mode, c) };
}

describe.each(cells(ADAPTERS, [MEMORY_FIXTURE, redis, postgres], MODES))('$label', (cell) => {
  test('a logout racing a slow writing request: the late write is dropped, its cookie cleared, and the logged-out session is never resurrected', async () => {
    const { url, gate, events, cookie, sessionKey, slow, held } = await setUp(cell);
    const logout = await send(`${url}/logout`, { method: 'POST', cookie });
    expect(removesCookie(logout, 'id')).toBe(true);
    expect((await held()).size).toBe(0);

    gate.open();
    const late = await slow;
    expect(late.status).toBe(200);
    expect(removesCookie(late, 'id')).toBe(true);
    expect(events).toContainEqual({ type: 'state-missing', cookieName: 'id', phase: 'commit' });
    expect((await held()).size).toBe(0);
    expect([...(await held()).keys()]).not.toContain(sessionKey);

    const replay = await send(`${url}/echo`, { cookie });
    expect({ body: JSON.parse(replay.body), setCookie: replay.setCookie }).toEqual({ body: {}, setCookie: [] });
  });

  test('a renew racing a slow writing request: the late write is dropped, the renewed-away key stays gone, and the renewed session keeps its own state', async () => {
    const { url, gate, cookie, sessionKey, slow, held, holds, open } = await setUp(cell);
    const renew = await send(`${url}/renew`, { method: 'POST', cookie });
    const renewed = sessionCookie(renew, 'id')!;
    const renewedKey = (await open(renewed))!;
    expect(renewedKey).not.toBe(sessionKey);
    expect(await holds(sessionKey)).toBe(false);

    gate.open();
    const late = await slow;
    expect(late.status).toBe(200);
    expect(removesCookie(late, 'id')).toBe(true);
    // Only the renewed session exists, without the slow request's change.
    expect(Object.fromEntries(await held())).toEqual({ [renewedKey]: '{"v":1,"state":{"user":"ferris"}}' });

    expect(JSON.parse((await send(`${url}/echo`, { cookie })).body)).toEqual({});
    expect(JSON.parse((await send(`${url}/echo`, { cookie: renewed })).body)).toEqual({ user: 'ferris' });
  });

  // Found by this suite: a renewal used to delete the old key and save under a new one without
  // checking that the state still existed. `delete` now reports whether it removed a record, and
  // the lifecycle drops a renewal whose record vanished (DESIGN improvement 9).
  test('a slow renewing request (privilege change) racing a logout: the logged-out session is not resurrected under a new key', async () => {
    const { url, gate, cookie, slow, held } = await setUp(cell, '/elevate');
    const logout = await send(`${url}/logout`, { method: 'POST', cookie });
    expect(removesCookie(logout, 'id')).toBe(true);
    expect((await held()).size).toBe(0);

    gate.open();
    const late = await slow;
    expect(late.status).toBe(200);
    // Nothing may be stored, and the browser must not be handed a session again.
    expect(Object.fromEntries(await held())).toEqual({});
    expect(sessionCookie(late, 'id') ?? 'id=').toBe('id=');
    expect(JSON.parse((await send(`${url}/echo`, { cookie })).body)).toEqual({});
  });
});
