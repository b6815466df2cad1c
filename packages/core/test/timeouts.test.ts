import {
  browserSession,
  CookieSessionStore,
  EXPIRED_NOTICE_SECONDS,
  createSessionManager,
  Key,
  MemorySessionStore,
  persistentSession,
  serializeState,
  type Session,
  type SessionEvent,
  type SessionLifecycle,
  type SessionStore,
} from '../src/index.js';
import { pairOf, parseCookie, RecordingStore } from './helpers.js';

// Issue 15: idle and absolute timeouts enforced at load from the timestamps kept with the state,
// a throttled touch, and requests that do not count as activity. Time moves by a test clock.

const key = Key.generate();
const MINUTE = 60_000;

function setup(lifecycle: SessionLifecycle, store?: SessionStore) {
  let now = Date.UTC(2026, 11, 3, 12);
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const inner = store ?? new MemorySessionStore({ now: clock.now });
  const recording = new RecordingStore(inner);
  const events: SessionEvent[] = [];
  const manager = createSessionManager({ store: recording, key, lifecycle, now: clock.now, onEvent: (e) => events.push(e) });
  const request = async (cookie: string | undefined, handler?: (s: Session) => void) => {
    const rs = await manager.load(cookie);
    handler?.(rs.session);
    return { session: rs.session, cookies: await manager.commit(rs, { status: 200 }) };
  };
  const login = async () => pairOf((await request(undefined, (s) => s.insert('user', 'ferris'))).cookies[0]!);
  return { clock, store: recording, inner, events, manager, request, login };
}

describe.each([
  ['memory store', undefined],
  ['cookie store', new CookieSessionStore()],
] as const)('%s', (_label, store) => {
  test('a session idle past its idle timeout loads empty with session-expired/idle, record deleted, removal cookie', async () => {
    const t = setup(browserSession({ idleTimeoutSeconds: 15 * 60 }), store);
    const cookie = await t.login();
    t.clock.advance(14 * MINUTE);
    expect((await t.request(cookie)).session.get('user')).toBe('ferris');
    t.clock.advance(16 * MINUTE);
    t.store.reset();
    const expired = await t.request(cookie);
    expect(expired.session.entries()).toEqual({});
    expect(expired.cookies).toEqual([expect.stringMatching(/^id=; Max-Age=0/)]);
    expect(t.events).toContainEqual({ type: 'session-expired', cookieName: 'id', reason: 'idle' });
    expect(t.store.ops).toEqual(['load', 'delete']);
    if (store === undefined) expect((t.inner as MemorySessionStore).size).toBe(0);
  });

  test('a session active every few minutes still ends at its absolute timeout, reason absolute', async () => {
    const t = setup(browserSession({ idleTimeoutSeconds: 10 * 60, absoluteTimeoutSeconds: 60 * 60 }), store);
    let cookie = await t.login();
    for (let minute = 5; minute < 60; minute += 5) {
      t.clock.advance(5 * MINUTE);
      const { session, cookies } = await t.request(cookie);
      expect({ minute, user: session.get('user') }).toEqual({ minute, user: 'ferris' });
      if (cookies[0] !== undefined) cookie = pairOf(cookies[0]);
    }
    t.clock.advance(5 * MINUTE);
    expect((await t.request(cookie)).session.entries()).toEqual({});
    expect(t.events).toContainEqual({ type: 'session-expired', cookieName: 'id', reason: 'absolute' });
  });

  test('a request that ignores activity does not push the idle deadline back, and can still write', async () => {
    const t = setup(browserSession({ idleTimeoutSeconds: 10 * 60 }), store);
    let cookie = await t.login();
    for (let i = 0; i < 3; i++) {
      t.clock.advance(3 * MINUTE);
      const polled = await t.request(cookie, (s) => {
        s.ignoreActivity();
        s.insert('polls', i + 1);
      });
      expect(polled.session.get('user')).toBe('ferris');
      if (polled.cookies[0] !== undefined) cookie = pairOf(polled.cookies[0]);
    }
    t.clock.advance(2 * MINUTE);
    // 11 minutes after the login, the last activity: ended, although polled every 3 minutes.
    expect((await t.request(cookie)).session.entries()).toEqual({});
    expect(t.events).toContainEqual({ type: 'session-expired', cookieName: 'id', reason: 'idle' });
  });

  test('renew() keeps the creation time; purge() ends the session', async () => {
    const t = setup(browserSession({ absoluteTimeoutSeconds: 60 * 60 }), store);
    let cookie = await t.login();
    t.clock.advance(50 * MINUTE);
    cookie = pairOf((await t.request(cookie, (s) => s.renew())).cookies[0]!);
    t.clock.advance(11 * MINUTE);
    expect((await t.request(cookie)).session.entries()).toEqual({});
    expect(t.events).toContainEqual({ type: 'session-expired', cookieName: 'id', reason: 'absolute' });
  });
});

test('touch throttle: a burst of read-only requests writes once per touch interval', async () => {
  const t = setup(browserSession({ idleTimeoutSeconds: 15 * 60 }));
  const cookie = await t.login();
  t.store.reset();
  for (let i = 0; i < 20; i++) {
    t.clock.advance(10_000);
    await t.request(cookie);
  }
  // 200 s of reads, touch interval 225 s (a quarter of 15 min): no write yet.
  expect(t.store.ops.filter((op) => op !== 'load')).toEqual([]);
  t.clock.advance(30_000);
  await t.request(cookie);
  expect(t.store.ops.filter((op) => op !== 'load')).toEqual(['update']);
  for (let i = 0; i < 20; i++) await t.request(cookie);
  expect(t.store.ops.filter((op) => op !== 'load')).toEqual(['update']);
});

test('the store TTL and a persistent cookie follow the nearer deadline (plus the notice hour)', async () => {
  const t = setup(persistentSession({ sessionTtlSeconds: 7 * 86_400, idleTimeoutSeconds: 30 * 60, absoluteTimeoutSeconds: 2 * 3600 }));
  const { cookies } = await t.request(undefined, (s) => s.insert('user', 'ferris'));
  // The idle deadline (30 min) is nearer than the absolute one (2 h) and the lifetime (7 days).
  expect(parseCookie(cookies[0]!).maxAge).toBe(30 * 60 + EXPIRED_NOTICE_SECONDS);
  expect(t.store.calls[0]).toMatchObject({ op: 'save', ttlSeconds: 30 * 60 + EXPIRED_NOTICE_SECONDS });
  let cookie = pairOf(cookies[0]!);
  for (let minute = 20; minute <= 100; minute += 20) {
    t.clock.advance(20 * MINUTE);
    t.store.reset();
    const written = await t.request(cookie, (s) => s.insert('minute', minute));
    cookie = pairOf(written.cookies[0]!);
    // Until 90 minutes the idle deadline is nearer; then the absolute one (120 min) is.
    const expected = Math.min(30, 120 - minute) * 60 + EXPIRED_NOTICE_SECONDS;
    expect({ minute, maxAge: parseCookie(written.cookies[0]!).maxAge }).toEqual({ minute, maxAge: expected });
    expect(t.store.calls.find((c) => c.op === 'update')).toMatchObject({ ttlSeconds: expected });
  }
});

test('without timeouts the stored bytes are exactly actix-session\'s', async () => {
  const store = new MemorySessionStore();
  const records: string[] = [];
  const spy: SessionStore = {
    load: (k) => store.load(k),
    save: (s, ttl) => (records.push(serializeState(s)), store.save(s, ttl)),
    update: (k, s, ttl) => (records.push(serializeState(s)), store.update(k, s, ttl)),
    updateTtl: (k, ttl) => store.updateTtl(k, ttl),
    delete: (k) => store.delete(k),
  };
  const manager = createSessionManager({ store: spy, key });
  const rs = await manager.load(undefined);
  rs.session.insert('user_id', 'ferris');
  await manager.commit(rs);
  expect(records).toEqual(['{"v":1,"state":{"user_id":"ferris"}}']);
});

test('a session saved before timeouts were configured gets its clocks started, not ended', async () => {
  const shared = new MemorySessionStore();
  const plain = createSessionManager({ store: shared, key });
  const rs = await plain.load(undefined);
  rs.session.insert('user', 'ferris');
  const cookie = pairOf((await plain.commit(rs))[0]!);
  const t = setup(browserSession({ idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600 }), shared);
  const first = await t.request(cookie);
  expect(first.session.get('user')).toBe('ferris');
  expect(t.store.ops).toEqual(['load', 'update']);
});

test('timeout options are validated at creation, each error naming the option', () => {
  expect(() => browserSession({ idleTimeoutSeconds: 600, touchIntervalSeconds: 600 })).toThrow(/lifecycle\.touchIntervalSeconds: must be shorter than idleTimeoutSeconds/);
  expect(() => persistentSession({ idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 300 })).toThrow(/lifecycle\.absoluteTimeoutSeconds: must not be shorter than idleTimeoutSeconds/);
  expect(() => browserSession({ touchIntervalSeconds: 60 })).toThrow(/lifecycle\.touchIntervalSeconds: only applies with idleTimeoutSeconds/);
  expect(() => browserSession({ idleTimeoutSeconds: 0 })).toThrow(/lifecycle\.idleTimeoutSeconds: must be a whole number of seconds, at least 1/);
  expect(() => browserSession({ absoluteTimeoutSeconds: 86_400_000 })).toThrow(/milliseconds instead of seconds/);
  expect(browserSession({ idleTimeoutSeconds: 900 })).toMatchObject({ idleTimeoutSeconds: 900, touchIntervalSeconds: 225 });
  expect(() => createSessionManager({ store: new MemorySessionStore(), key, now: 5 as never })).toThrow(/^now: must be a function/);
});

test('a cookie-store timestamp is sealed: editing it in a signed cookie is rejected like any tampering', async () => {
  let now = Date.UTC(2026, 11, 3, 12);
  const events: SessionEvent[] = [];
  const manager = createSessionManager({
    store: new CookieSessionStore(),
    key,
    cookie: { contentSecurity: 'signed' },
    lifecycle: browserSession({ absoluteTimeoutSeconds: 3600 }),
    now: () => now,
    onEvent: (e) => events.push(e),
  });
  const rs = await manager.load(undefined);
  rs.session.insert('user', 'ferris');
  const cookie = pairOf((await manager.commit(rs))[0]!);
  const value = decodeURIComponent(cookie.slice('id='.length));
  const created = /"created":(\d+)/.exec(value)![1]!;
  // A client pushing its creation time forward to escape the absolute timeout.
  const forged = value.replace(`"created":${created}`, `"created":${Number(created) + 86_400}`);
  now += 2 * 3600 * 1000;
  events.length = 0;
  const loaded = await manager.load(`id=${encodeURIComponent(forged)}`);
  expect(loaded.session.entries()).toEqual({});
  expect(events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'unauthenticated' }]);
});
