import { CookieSessionStore, Key, type Session, type SessionOptions, type SessionStore } from '@sess/core';
import { ADAPTERS, cookieHeader, findCookie, json, send, stopAllRedisServers, type Adapter, type HttpResponse, type Route, type RunningServer } from '@sess/test-harness';
import { barrier, type Barrier } from '../src/barrier.js';
import { serverPool } from '../src/matrix.js';
import { CLUSTER_PORTS, serverStoreFixtures, type InspectedStore } from '../src/server-stores.js';

// Issue 13 over real HTTP: concurrent requests of one session never lose an update. Four servers
// share each store, as four processes would, so writes really conflict (within one process they
// are chained). Every handler waits at a barrier until all requests of the race have loaded the
// session, so they all start from the same state and commit at once: the worst interleaving.

// Each test takes well under a second alone; a loaded 2-core CI host can make it many times slower.
jest.setTimeout(30_000);

const fixtures = serverStoreFixtures('concurrency-http', CLUSTER_PORTS.concurrency);
const WRITERS = 32;
const PROCESSES = 4;

beforeAll(() => Promise.all(fixtures.map((fixture) => fixture.open())), 60_000);
afterAll(async () => {
  await Promise.all(fixtures.map((fixture) => fixture.close()));
  await stopAllRedisServers();
}, 30_000);

/** What the routes of one test wait on; replaced per race. */
interface Race {
  meet: Barrier;
}

function routes(race: Race): Route[] {
  const write = (path: string, act: (session: Session) => void): Route => ({
    method: 'POST',
    path,
    handle: async (session) => {
      act(session);
      await race.meet.arrive();
      return json({ ok: true });
    },
  });
  return [
    { method: 'POST', path: '/login', handle: (session) => (session.insert('user', 'ferris'), session.insert('n', 0), json({ ok: true })) },
    { method: 'GET', path: '/state', handle: (session) => json(session.entries()) },
    write('/inc', (session) => session.updateOr('n', 0, (n: number) => n + 1)),
    ...Array.from({ length: WRITERS }, (_, i) => write(`/put/k${i}`, (session) => session.insert(`k${i}`, i))),
    { method: 'POST', path: '/logout', handle: (session) => (session.purge(), json({ ok: true })) },
    { method: 'POST', path: '/renew', handle: (session) => (session.renew(), json({ ok: true })) },
  ];
}

const sessionCookie = (response: HttpResponse): string => {
  const cookie = findCookie(response, 'id');
  if (cookie === undefined || cookie.value === '') throw new Error(`no session cookie in ${JSON.stringify(response.setCookie)}`);
  return cookieHeader(cookie);
};
const isRemoval = (response: HttpResponse): boolean => findCookie(response, 'id')?.value === '';

/** `PROCESSES` servers sharing `store`, and the race their routes wait on. */
async function cluster(adapter: Adapter, pool: ReturnType<typeof serverPool>, store: SessionStore) {
  const race: Race = { meet: barrier(0) };
  const options: SessionOptions = { store, key: Key.generate() };
  const servers: RunningServer[] = [];
  for (let i = 0; i < PROCESSES; i++) servers.push(await pool.start(routes(race), options));
  const url = (i: number, path: string): string => `${servers[i % servers.length]!.url}${path}`;
  const login = async (): Promise<string> => sessionCookie(await send(url(0, '/login'), { method: 'POST' }));
  const state = async (cookie: string): Promise<Record<string, unknown>> => JSON.parse((await send(url(0, '/state'), { cookie })).body);
  return { race, url, login, state };
}

const cells = ADAPTERS.flatMap((adapter) => fixtures.map((fixture) => ({ label: `${adapter.name} × ${fixture.name}`, adapter, fixture })));

describe.each(cells)('$label:', ({ adapter, fixture }) => {
  const pool = serverPool(adapter);
  let inspected: InspectedStore;
  beforeEach(() => {
    inspected = fixture.make();
  });
  afterEach(async () => {
    await pool.closeAll();
    await inspected.dispose();
  });

  test(`${WRITERS} concurrent updateOr increments on one session: n is exactly ${WRITERS}, every response 2xx`, async () => {
    const app = await cluster(adapter, pool, inspected.store);
    const cookie = await app.login();
    app.race.meet = barrier(WRITERS);
    const responses = await Promise.all(Array.from({ length: WRITERS }, (_, i) => send(app.url(i, '/inc'), { method: 'POST', cookie })));
    expect(responses.map((response) => response.status)).toEqual(Array(WRITERS).fill(200));
    expect(await app.state(cookie)).toEqual({ user: 'ferris', n: WRITERS });
  });

  test(`${WRITERS} concurrent inserts of their own keys: all present, and the keys nobody touched kept`, async () => {
    const app = await cluster(adapter, pool, inspected.store);
    const cookie = await app.login();
    app.race.meet = barrier(WRITERS);
    const responses = await Promise.all(Array.from({ length: WRITERS }, (_, i) => send(app.url(i, `/put/k${i}`), { method: 'POST', cookie })));
    expect(responses.map((response) => response.status)).toEqual(Array(WRITERS).fill(200));
    const expected = Object.fromEntries(Array.from({ length: WRITERS }, (_, i) => [`k${i}`, i]));
    expect(await app.state(cookie)).toEqual({ user: 'ferris', n: 0, ...expected });
  });

  test(`a logout racing ${WRITERS} writers: the session stays gone, no key resurrected`, async () => {
    const app = await cluster(adapter, pool, inspected.store);
    const cookie = await app.login();
    // The writers load the session, then wait; the logout commits; then they all commit.
    app.race.meet = barrier(WRITERS, { gated: true });
    const writers = Promise.all(Array.from({ length: WRITERS }, (_, i) => send(app.url(i, '/inc'), { method: 'POST', cookie })));
    await app.race.meet.full;
    const logout = await send(app.url(1, '/logout'), { method: 'POST', cookie });
    expect(isRemoval(logout)).toBe(true);
    app.race.meet.release();
    const responses = await writers;
    expect(responses.map((response) => response.status)).toEqual(Array(WRITERS).fill(200));
    // Each writer found the session missing: nothing written, its cookie cleared.
    expect(responses.filter(isRemoval)).toHaveLength(WRITERS);
    expect(await app.state(cookie)).toEqual({});
    expect(await inspected.records()).toBe(0);
  });

  test('a renew racing writers leaves the old key dead', async () => {
    const app = await cluster(adapter, pool, inspected.store);
    const cookie = await app.login();
    app.race.meet = barrier(WRITERS, { gated: true });
    const writers = Promise.all(Array.from({ length: WRITERS }, (_, i) => send(app.url(i, `/put/k${i}`), { method: 'POST', cookie })));
    await app.race.meet.full;
    const renewed = sessionCookie(await send(app.url(1, '/renew'), { method: 'POST', cookie }));
    app.race.meet.release();
    expect((await writers).map((response) => response.status)).toEqual(Array(WRITERS).fill(200));
    expect(await app.state(cookie)).toEqual({});
    expect(await app.state(renewed)).toEqual({ user: 'ferris', n: 0 });
    expect(await inspected.records()).toBe(1);
  });
});

describe.each(ADAPTERS)('$name × cookie:', (adapter) => {
  const pool = serverPool(adapter);
  afterEach(pool.closeAll);

  test('no shared state: concurrent requests each get their own cookie, and the last one the browser keeps wins (documented)', async () => {
    const app = await cluster(adapter, pool, new CookieSessionStore());
    const cookie = await app.login();
    app.race.meet = barrier(8);
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => send(app.url(i, '/inc'), { method: 'POST', cookie })));
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
    // Every response carries a cookie whose state is the one its own request computed: n = 1.
    // Whichever the browser stores last is the session; the other increments are lost.
    for (const response of responses) expect(await app.state(sessionCookie(response))).toEqual({ user: 'ferris', n: 1 });
  });
});
