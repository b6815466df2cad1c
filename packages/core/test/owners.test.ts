import {
  CookieSessionStore,
  createSessionManager,
  Key,
  MemoryOwnerRevocations,
  MemorySessionStore,
  serializeState,
  SessionInsertError,
  type Session,
  type SessionEvent,
  type SessionManager,
  type SessionOptions,
} from '../src/index.js';
import { pairOf } from './helpers.js';

// Issue 14: a user's sessions listed, revoked one by one, all, or all but the current one, and
// capped per owner; cookie-store sessions revoked through owner stamps.

const key = Key.generate();

function setup(extra: Partial<SessionOptions> = {}) {
  let now = Date.UTC(2026, 11, 3, 12);
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const store = new MemorySessionStore({ now: clock.now });
  const events: SessionEvent[] = [];
  const manager = createSessionManager({ store, key, now: clock.now, onEvent: (e) => events.push(e), ...extra });
  return { clock, store, manager, events };
}

/** Runs one request; returns the session and the cookie to send next (the new one, or the same). */
async function request(manager: SessionManager, cookie: string | undefined, handler?: (s: Session) => unknown | Promise<unknown>) {
  const rs = await manager.load(cookie);
  await handler?.(rs.session);
  const [header] = await manager.commit(rs);
  const next = header === undefined ? cookie : header.startsWith('id=;') ? undefined : pairOf(header);
  return { session: rs.session, cookie: next };
}

const signIn = (manager: SessionManager, owner: string, device: string) =>
  request(manager, undefined, (s) => {
    s.insert('user', owner);
    s.setOwner(owner, { device });
    s.renew();
  }).then((r) => r.cookie!);

test('three devices of one owner are listed with their details, exactly one current; another owner sees none of them', async () => {
  const { manager, clock } = setup();
  const laptop = await signIn(manager, 'ferris', 'laptop');
  clock.advance(1000);
  const phone = await signIn(manager, 'ferris', 'phone');
  clock.advance(1000);
  await signIn(manager, 'ferris', 'tablet');
  await signIn(manager, 'corro', 'desktop');
  const { session } = await request(manager, phone);
  const listed = await manager.owners.list(session);
  expect(listed.map((row) => row.details?.device).sort()).toEqual(['laptop', 'phone', 'tablet']);
  expect(listed.filter((row) => row.current).map((row) => row.details?.device)).toEqual(['phone']);
  for (const row of listed) {
    expect(row.createdAt).toBeInstanceOf(Date);
    expect(row.lastSeenAt).toBeInstanceOf(Date);
    expect(row.expiresAt.getTime()).toBeGreaterThan(clock.now());
  }
  expect((await manager.owners.list('corro')).map((row) => row.details?.device)).toEqual(['desktop']);
  expect((await request(manager, laptop)).session.owner).toEqual({ id: 'ferris', details: { device: 'laptop' } });
});

test('revoking one makes its next request anonymous (record gone, removal cookie); "all but current" leaves one', async () => {
  const { manager, store } = setup();
  const laptop = await signIn(manager, 'ferris', 'laptop');
  const phone = await signIn(manager, 'ferris', 'phone');
  const tablet = await signIn(manager, 'ferris', 'tablet');
  const { session } = await request(manager, phone);
  const laptopId = (await manager.owners.list(session)).find((row) => row.details?.device === 'laptop')!.id;
  expect(await manager.owners.revoke(session, laptopId)).toBe(true);
  const rs = await manager.load(laptop);
  expect(rs.session.entries()).toEqual({});
  expect(await manager.commit(rs)).toEqual([]);
  expect(await manager.owners.revokeOthers(session)).toBe(1);
  expect((await manager.owners.list(session)).map((row) => row.details?.device)).toEqual(['phone']);
  expect((await request(manager, tablet)).session.entries()).toEqual({});
  expect((await request(manager, phone)).session.get('user')).toBe('ferris');
  expect(store.size).toBe(1);
});

test('an owner\'s id cannot revoke another owner\'s session, and the listing id opens nothing', async () => {
  const { manager, store } = setup();
  await signIn(manager, 'ferris', 'laptop');
  const corro = await signIn(manager, 'corro', 'desktop');
  const [corroRow] = await manager.owners.list('corro');
  expect(await manager.owners.revoke('ferris', corroRow!.id)).toBe(false);
  expect((await request(manager, corro)).session.get('user')).toBe('corro');
  // The id is not a session key, not a cookie value.
  expect(await store.load(corroRow!.id)).toBeNull();
  expect((await manager.load(`id=${corroRow!.id}`)).session.entries()).toEqual({});
});

test('revokeAll with the current session ends it too, its cookie cleared in this response', async () => {
  const { manager } = setup();
  await signIn(manager, 'ferris', 'laptop');
  const phone = await signIn(manager, 'ferris', 'phone');
  const rs = await manager.load(phone);
  expect(await manager.owners.revokeAll(rs.session)).toBe(2);
  expect(await manager.commit(rs)).toEqual([expect.stringMatching(/^id=; Max-Age=0/)]);
  expect(await manager.owners.list('ferris')).toEqual([]);
});

test('a cap of 2 revokes the least recently seen at the third login', async () => {
  const { manager, clock } = setup({ owners: { maxSessionsPerOwner: 2 } });
  const first = await signIn(manager, 'ferris', 'first');
  clock.advance(60_000);
  const second = await signIn(manager, 'ferris', 'second');
  clock.advance(60_000);
  // The first is used again: now the second is the least recently seen.
  await request(manager, first, (s) => s.insert('seen', true));
  clock.advance(60_000);
  await signIn(manager, 'ferris', 'third');
  expect((await manager.owners.list('ferris')).map((row) => row.details?.device).sort()).toEqual(['first', 'third']);
  expect((await request(manager, second)).session.entries()).toEqual({});
});

test('expired sessions leave the listing and the index', async () => {
  const { manager, clock, store } = setup();
  for (let i = 0; i < 50; i++) await signIn(manager, 'ferris', `device-${i}`);
  clock.advance(2 * 86_400_000);
  const live = await signIn(manager, 'ferris', 'today');
  expect((await manager.owners.list('ferris')).map((row) => row.details?.device)).toEqual(['today']);
  expect(store.size).toBe(1);
  expect(live).toBeDefined();
});

test('with no owner set, records and cookies are exactly today\'s', async () => {
  const { store } = setup();
  const records: string[] = [];
  const spy = createSessionManager({
    store: {
      load: (k) => store.load(k),
      save: (s, t) => (records.push(serializeState(s)), store.save(s, t)),
      update: (k, s, t) => (records.push(serializeState(s)), store.update(k, s, t)),
      updateTtl: (k, t) => store.updateTtl(k, t),
      delete: (k) => store.delete(k),
    },
    key,
  });
  const { cookie } = await request(spy, undefined, (s) => s.insert('user', 'ferris'));
  await request(spy, cookie, (s) => s.insert('n', 1));
  expect(records).toEqual(['{"v":1,"state":{"user":"ferris"}}', '{"v":1,"state":{"n":1,"user":"ferris"}}']);
});

test('the owner survives renew() and is dropped by purge(); bad owners are usage errors', async () => {
  const { manager } = setup();
  const cookie = await signIn(manager, 'ferris', 'laptop');
  const renewed = await request(manager, cookie, (s) => s.renew());
  expect((await request(manager, renewed.cookie)).session.owner?.id).toBe('ferris');
  const rs = await manager.load(renewed.cookie);
  rs.session.purge();
  expect(rs.session.owner).toBeUndefined();
  const s = (await manager.load(undefined)).session;
  expect(() => s.setOwner('')).toThrow(SessionInsertError);
  expect(() => s.setOwner('x'.repeat(257))).toThrow(/at most 256 bytes/);
  expect(() => s.setOwner('ferris', { big: 'x'.repeat(2000) })).toThrow(/at most 1024 bytes/);
  expect(() => s.setOwner('ferris', [] as never)).toThrow(/plain object/);
  expect(s.status).toBe('unchanged');
});

describe('cookie store with owner revocations', () => {
  const cookieSetup = () => {
    let now = Date.UTC(2026, 11, 3, 12);
    const revocations = new MemoryOwnerRevocations({ now: () => now });
    const gets: string[] = [];
    const counted = { get: (owner: string) => (gets.push(owner), revocations.get(owner)), set: revocations.set.bind(revocations) };
    const events: SessionEvent[] = [];
    const manager = createSessionManager({
      store: new CookieSessionStore(),
      key,
      now: () => now,
      owners: { revocations: counted },
      onEvent: (e) => events.push(e),
    });
    return { manager, gets, events, advance: (ms: number) => (now += ms) };
  };

  test('after "revoke all", every cookie issued to that owner before loads empty, with a session-revoked report', async () => {
    const { manager, events, advance } = cookieSetup();
    const laptop = await signIn(manager, 'ferris', 'laptop');
    const phone = await signIn(manager, 'ferris', 'phone');
    const corro = await signIn(manager, 'corro', 'desktop');
    advance(2000);
    await manager.owners.revokeAll('ferris');
    for (const cookie of [laptop, phone]) {
      const rs = await manager.load(cookie);
      expect(rs.session.entries()).toEqual({});
      expect(await manager.commit(rs)).toEqual([expect.stringMatching(/^id=; Max-Age=0/)]);
    }
    expect(events.filter((e) => e.type === 'session-revoked')).toHaveLength(2);
    expect((await request(manager, corro)).session.get('user')).toBe('corro');
    advance(2000);
    const again = await signIn(manager, 'ferris', 'laptop');
    expect((await request(manager, again)).session.get('user')).toBe('ferris');
  });

  test('"all but current" keeps the asking device; requests without an owner never call the stamp store', async () => {
    const { manager, gets, advance } = cookieSetup();
    const laptop = await signIn(manager, 'ferris', 'laptop');
    const phone = await signIn(manager, 'ferris', 'phone');
    advance(2000);
    const { session } = await request(manager, phone);
    await manager.owners.revokeOthers(session);
    expect((await request(manager, laptop)).session.entries()).toEqual({});
    expect((await request(manager, phone)).session.get('user')).toBe('ferris');
    gets.length = 0;
    const anonymous = (await request(manager, undefined, (s) => s.insert('cart', [1]))).cookie!;
    for (let i = 0; i < 10; i++) await request(manager, anonymous);
    expect(gets).toEqual([]);
    await expect(manager.owners.list(session)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});
