import { browserSession, CookieSessionStore, Key, type SessionEvent, type SessionLifecycle, type SessionStore } from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { ADAPTERS, findCookie, json, startRedisServer, stopAllRedisServers, type Adapter, type HttpResponse, type RedisServer, type Route } from '@sess/test-harness';
import { cookieJar, type CookieJar } from '../src/cookie-jar.js';
import { serverPool } from '../src/matrix.js';
import { CLUSTER_PORTS, COUNTING_PORT, serverStoreFixtures, type InspectedStore } from '../src/server-stores.js';
import { testClock, type TestClock } from '../src/test-clock.js';

// Issue 15 over real HTTP: idle and absolute timeouts enforced at load, requests that are not
// activity, and the touch throttle counted by Redis itself. Time moves by the core's `now`
// option (and the memory store's clock), never by sleeping. Redis expires keys in real time;
// the deadlines come from the timestamps kept in the records, so the moved clock applies.

// Each test takes well under a second alone; a loaded 2-core CI host can make it many times slower.
jest.setTimeout(30_000);

const fixtures = serverStoreFixtures('timeouts-http', CLUSTER_PORTS.timeouts);
/** A redis-server of this file's own, so that `INFO commandstats` counts nothing but these requests. */
let counting: RedisServer;

beforeAll(async () => {
  await Promise.all([...fixtures.map((fixture) => fixture.open()), startRedisServer({ port: COUNTING_PORT }).then((server) => (counting = server))]);
}, 60_000);
afterAll(async () => {
  await Promise.all(fixtures.map((fixture) => fixture.close()));
  await counting?.stop();
  await stopAllRedisServers();
}, 30_000);

const SECOND = 1000;
const MINUTE = 60 * SECOND;

const routes: Route[] = [
  { method: 'POST', path: '/login', handle: (session) => (session.insert('user', 'ferris'), session.renew(), json({ ok: true })) },
  { method: 'GET', path: '/state', handle: (session) => json(session.entries()) },
  {
    method: 'POST',
    path: '/poll',
    handle: (session) => {
      // Polling is not the user's activity; it still reads and writes the session.
      session.ignoreActivity();
      session.updateOr('polls', 0, (n: number) => n + 1);
      return json(session.entries());
    },
  },
];

const isRemoval = (response: HttpResponse): boolean => findCookie(response, 'id')?.value === '';

interface Cell {
  label: string;
  adapter: Adapter;
  make: (clock: TestClock) => InspectedStore | { store: SessionStore; records: undefined; dispose: () => Promise<void> };
}
const cells: Cell[] = ADAPTERS.flatMap((adapter) => [
  { label: `${adapter.name} × cookie`, adapter, make: () => ({ store: new CookieSessionStore(), records: undefined, dispose: async () => {} }) },
  ...fixtures.map((fixture) => ({ label: `${adapter.name} × ${fixture.name}`, adapter, make: (clock: TestClock) => fixture.make({ now: clock.now }) })),
]);

describe.each(cells)('$label:', ({ adapter, make }) => {
  const pool = serverPool(adapter);
  let clock: TestClock;
  let made: ReturnType<Cell['make']>;
  let events: SessionEvent[];
  const start = async (lifecycle: SessionLifecycle): Promise<CookieJar> => {
    const server = await pool.start(routes, { store: made.store, key: Key.generate(), lifecycle, now: clock.now, onEvent: (e) => events.push(e) });
    const jar = cookieJar(server.url);
    expect((await jar.send('/login', { method: 'POST' })).status).toBe(200);
    return jar;
  };
  const expired = (reason: 'idle' | 'absolute') => events.filter((e) => e.type === 'session-expired' && e.reason === reason);
  beforeEach(() => {
    clock = testClock();
    made = make(clock);
    events = [];
  });
  afterEach(async () => {
    await pool.closeAll();
    await made.dispose();
  });

  test('a session idle past its idle timeout loads empty with session-expired/idle, record deleted, removal cookie', async () => {
    const jar = await start(browserSession({ idleTimeoutSeconds: 15 * 60 }));
    clock.advance(14 * MINUTE);
    expect(await jar.json('/state')).toEqual({ user: 'ferris' });
    clock.advance(16 * MINUTE);
    expect(expired('idle')).toEqual([]);
    const reply = await jar.send('/state');
    expect(JSON.parse(reply.body)).toEqual({});
    expect(isRemoval(reply)).toBe(true);
    expect(expired('idle')).toEqual([{ type: 'session-expired', cookieName: 'id', reason: 'idle' }]);
    expect(await made.records?.()).toBe(made.records === undefined ? undefined : 0);
  });

  test('a session active every five minutes still ends at its absolute timeout, reason absolute', async () => {
    const jar = await start(browserSession({ idleTimeoutSeconds: 10 * 60, absoluteTimeoutSeconds: 60 * 60 }));
    for (let minute = 5; minute < 60; minute += 5) {
      clock.advance(5 * MINUTE);
      expect({ minute, state: await jar.json('/state') }).toEqual({ minute, state: { user: 'ferris' } });
    }
    clock.advance(5 * MINUTE);
    const reply = await jar.send('/state');
    expect(JSON.parse(reply.body)).toEqual({});
    expect(isRemoval(reply)).toBe(true);
    expect(expired('absolute')).toHaveLength(1);
    expect(expired('idle')).toEqual([]);
    expect(await made.records?.()).toBe(made.records === undefined ? undefined : 0);
  });

  test('a request marked session.ignoreActivity() does not extend the idle deadline, and can still write', async () => {
    const jar = await start(browserSession({ idleTimeoutSeconds: 10 * 60 }));
    for (let poll = 1; poll <= 3; poll++) {
      clock.advance(3 * MINUTE);
      expect(JSON.parse((await jar.send('/poll', { method: 'POST' })).body)).toEqual({ user: 'ferris', polls: poll === 1 ? 0 : poll - 1 });
    }
    // Polled every 3 minutes, but the last activity was the login, 11 minutes ago.
    clock.advance(2 * MINUTE);
    const reply = await jar.send('/state');
    expect(JSON.parse(reply.body)).toEqual({});
    expect(isRemoval(reply)).toBe(true);
    expect(expired('idle')).toHaveLength(1);
  });
});

describe.each(ADAPTERS)('$name × redis, counted by INFO commandstats:', (adapter) => {
  const pool = serverPool(adapter);
  afterEach(pool.closeAll);

  test('touch throttle: 20 read-only requests inside one touch interval write nothing; after the interval, one write', async () => {
    const clock = testClock();
    const store = new RedisSessionStore({ url: counting.url, keyPrefix: `touch-${adapter.name}:` });
    try {
      const server = await pool.start(routes, { store, key: Key.generate(), lifecycle: browserSession({ idleTimeoutSeconds: 15 * 60 }), now: clock.now });
      const jar = cookieJar(server.url);
      await jar.send('/login', { method: 'POST' });
      // A write first, so the compare-and-update script is cached (no NOSCRIPT round in the count).
      expect(JSON.parse((await jar.send('/poll', { method: 'POST' })).body)).toEqual({ user: 'ferris', polls: 0 });
      await counting.resetStats();
      // 200 s of reads; the touch interval is a quarter of the idle timeout, 225 s.
      for (let i = 0; i < 20; i++) {
        clock.advance(10 * SECOND);
        expect(await jar.json('/state')).toEqual({ user: 'ferris', polls: 0 });
      }
      expect(await counting.commandCalls()).toEqual({ get: 20 });
      clock.advance(30 * SECOND);
      await jar.json('/state');
      // One write: the script (EVALSHA), whose own GET and SET Redis counts too.
      const touch = { evalsha: 1, get: 1, set: 1 };
      expect(await counting.commandCalls()).toEqual({ get: 21 + touch.get, evalsha: touch.evalsha, set: touch.set });
      for (let i = 0; i < 20; i++) expect(await jar.json('/state')).toEqual({ user: 'ferris', polls: 0 });
      expect(await counting.commandCalls()).toEqual({ get: 41 + touch.get, evalsha: touch.evalsha, set: touch.set });
    } finally {
      await store.close();
    }
  });
});
