import {
  CookieSessionStore,
  createSessionManager,
  Key,
  MemorySessionStore,
  type RequestSession,
  type Session,
  type SessionManager,
  type SessionStore,
} from '../src/index.js';
import { pairOf, RecordingStore } from './helpers.js';

// Issue 13: concurrent requests of one session never lose an update. Requests are loaded first
// (all see the same state), their handlers run, then they commit at once: the interleaving that
// loses writes under last-writer-wins.

const key = Key.generate();

async function login(manager: SessionManager): Promise<string> {
  const rs = await manager.load(undefined);
  rs.session.insert('user', 'ferris');
  rs.session.insert('n', 0);
  return pairOf((await manager.commit(rs))[0]!);
}

/** Loads one request per manager (round robin), runs `handler` on each, commits them all together. */
async function concurrently(managers: SessionManager[], cookie: string, count: number, handler: (s: Session, i: number) => void) {
  const loaded: [SessionManager, RequestSession][] = [];
  for (let i = 0; i < count; i++) {
    const manager = managers[i % managers.length]!;
    loaded.push([manager, await manager.load(cookie)]);
  }
  loaded.forEach(([, rs], i) => handler(rs.session, i));
  return Promise.all(loaded.map(([manager, rs]) => manager.commit(rs, { status: 200 })));
}

async function stateOf(manager: SessionManager, cookie: string) {
  return (await manager.load(cookie)).session.entries();
}

describe.each([
  ['one process (commits of a session chained)', 1],
  ['four processes sharing the store (compare-and-update conflicts)', 4],
])('memory store, %s', (_label, processes) => {
  const setup = () => {
    const store = new MemorySessionStore();
    const managers = Array.from({ length: processes }, () => createSessionManager({ store, key }));
    return { store, managers };
  };

  test('32 concurrent updateOr increments: n is exactly 32', async () => {
    const { managers } = setup();
    const cookie = await login(managers[0]!);
    const results = await concurrently(managers, cookie, 32, (s) => s.updateOr('n', 0, (n: number) => n + 1));
    expect(results.every((cookies) => cookies.length === 1)).toBe(true);
    expect((await stateOf(managers[0]!, cookie)).n).toBe(32);
  });

  test('32 concurrent inserts of their own keys: all 32 present, and the keys nobody touched kept', async () => {
    const { managers } = setup();
    const cookie = await login(managers[0]!);
    await concurrently(managers, cookie, 32, (s, i) => s.insert(`k${i}`, i));
    const state = await stateOf(managers[0]!, cookie);
    expect(Object.keys(state).sort()).toEqual(['n', 'user', ...Array.from({ length: 32 }, (_, i) => `k${i}`)].sort());
  });

  test('a logout racing 32 writers: the session stays gone, nothing resurrected', async () => {
    const { store, managers } = setup();
    const cookie = await login(managers[0]!);
    const logout = await managers[0]!.load(cookie);
    const writers = await Promise.all(Array.from({ length: 32 }, (_, i) => managers[i % processes]!.load(cookie)));
    writers.forEach((rs) => rs.session.updateOr('n', 0, (n: number) => n + 1));
    logout.session.purge();
    await managers[0]!.commit(logout);
    const results = await Promise.all(writers.map((rs, i) => managers[i % processes]!.commit(rs)));
    for (const cookies of results) expect(cookies).toEqual([expect.stringMatching(/^id=; Max-Age=0/)]);
    expect(store.size).toBe(0);
  });

  test('a renew racing writers leaves the old key dead', async () => {
    const { managers } = setup();
    const cookie = await login(managers[0]!);
    const renewing = await managers[0]!.load(cookie);
    const writers = await Promise.all(Array.from({ length: 8 }, (_, i) => managers[i % processes]!.load(cookie)));
    renewing.session.renew();
    const [renewed] = await managers[0]!.commit(renewing);
    await Promise.all(writers.map((rs, i) => (rs.session.insert('late', i), managers[i % processes]!.commit(rs))));
    expect(await stateOf(managers[0]!, cookie)).toEqual({});
    expect((await stateOf(managers[0]!, pairOf(renewed!))).user).toBe('ferris');
  });
});

test('a store without compareAndUpdate keeps last-writer-wins (documented): writes are lost, nothing fails', async () => {
  // RecordingStore forwards only the five required methods.
  const store = new RecordingStore(new MemorySessionStore());
  const manager = createSessionManager({ store, key });
  const cookie = await login(manager);
  await concurrently([manager], cookie, 8, (s) => s.updateOr('n', 0, (n: number) => n + 1));
  expect((await stateOf(manager, cookie)).n).toBe(1);
});

test('the cookie store has no shared state: concurrent cookies, last writer wins (documented)', async () => {
  const manager = createSessionManager({ store: new CookieSessionStore(), key });
  const cookie = await login(manager);
  const results = await concurrently([manager], cookie, 4, (s) => s.updateOr('n', 0, (n: number) => n + 1));
  // Each response carries its own cookie with n = 1: whichever the browser keeps last wins.
  for (const [header] of results) expect((await stateOf(manager, pairOf(header!))).n).toBe(1);
});

test('a write replayed on a fresher state runs its update function again on the fresh value', async () => {
  const inner = new MemorySessionStore();
  const seen: number[] = [];
  const a = createSessionManager({ store: inner, key });
  const b = createSessionManager({ store: inner, key });
  const cookie = await login(a);
  const first = await a.load(cookie);
  const second = await b.load(cookie);
  first.session.updateOr('n', 10, (n: number) => n + 1);
  second.session.updateOr('n', 10, (n: number) => (seen.push(n), n * 2));
  await a.commit(first);
  await b.commit(second);
  // b's function ran on 0 in its handler, then again on a's 1 when its write was replayed.
  expect(seen).toEqual([0, 1]);
  expect((await stateOf(a, cookie)).n).toBe(2);
});

test('uncontended: one compare-and-update per write, no reload, no retry', async () => {
  const inner = new MemorySessionStore();
  const calls: string[] = [];
  const store: SessionStore = {
    load: (k) => (calls.push('load'), inner.load(k)),
    save: (s, t) => (calls.push('save'), inner.save(s, t)),
    update: (k, s, t) => (calls.push('update'), inner.update(k, s, t)),
    updateTtl: (k, t) => (calls.push('updateTtl'), inner.updateTtl(k, t)),
    delete: (k) => (calls.push('delete'), inner.delete(k)),
    compareAndUpdate: (k, e, s, t) => (calls.push('compareAndUpdate'), inner.compareAndUpdate(k, e, s, t)),
  };
  const manager = createSessionManager({ store, key });
  const cookie = await login(manager);
  calls.length = 0;
  const rs = await manager.load(cookie);
  rs.session.insert('n', 1);
  await manager.commit(rs);
  expect(calls).toEqual(['load', 'compareAndUpdate']);
});
