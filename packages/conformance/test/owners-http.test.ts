import {
  CookieSessionStore,
  createSessionManager,
  Key,
  MemoryOwnerRevocations,
  type JsonValue,
  type OwnerRevocationStore,
  type SessionOptions,
  type SessionOwners,
} from '@sess/core';
import type { RedisSessionStore } from '@sess/redis';
import { ADAPTERS, cookieHeader, findCookie, json, send, stopAllRedisServers, type Adapter, type HttpResponse, type Route } from '@sess/test-harness';
import { serverPool } from '../src/matrix.js';
import { CLUSTER_PORTS, serverStoreFixtures, type InspectedStore } from '../src/server-stores.js';
import { testClock, type TestClock } from '../src/test-clock.js';

// Issue 14 over real HTTP: a user's sessions listed, revoked one by one, all but the current one,
// capped per owner, and another owner's never reached; the cookie store revoked through owner
// stamps. The routes use the owners API of a manager built from the server's own options: the
// API every adapter's middleware exposes as `.owners` is exactly that (its manager's), and the
// demo apps' tests use the adapters' own.

// Each test takes well under a second alone; a loaded 2-core CI host can make it many times slower.
jest.setTimeout(30_000);

const fixtures = serverStoreFixtures('owners-http', CLUSTER_PORTS.owners);
beforeAll(() => Promise.all(fixtures.map((fixture) => fixture.open())), 60_000);
afterAll(async () => {
  await Promise.all(fixtures.map((fixture) => fixture.close()));
  await stopAllRedisServers();
}, 30_000);

const DEVICES = [
  ['ferris', 'laptop'],
  ['ferris', 'phone'],
  ['ferris', 'tablet'],
  ['corro', 'desktop'],
] as const;
type Device = (typeof DEVICES)[number][1];

function routes(owners: SessionOwners): Route[] {
  return [
    ...DEVICES.map(([owner, device]): Route => ({
      method: 'POST',
      path: `/login/${device}`,
      handle: (session) => {
        session.insert('user', owner);
        session.setOwner(owner, { userAgent: device });
        session.renew();
        return json({ ok: true });
      },
    })),
    { method: 'GET', path: '/state', handle: (session) => json(session.entries()) },
    { method: 'POST', path: '/touch', handle: (session) => (session.insert('touched', true), json({ ok: true })) },
    {
      method: 'GET',
      path: '/sessions',
      handle: async (session) =>
        json(
          (await owners.list(session)).map((row) => ({
            id: row.id,
            current: row.current,
            createdAt: row.createdAt?.getTime() ?? null,
            lastSeenAt: row.lastSeenAt?.getTime() ?? null,
            expiresAt: row.expiresAt.getTime(),
            details: (row.details ?? null) as JsonValue,
          })),
        ),
    },
    { method: 'POST', path: '/revoke', handle: async (session, request) => json({ revoked: await owners.revoke(session, (JSON.parse(request.body) as { id: string }).id) }) },
    { method: 'POST', path: '/revoke-others', handle: async (session) => json({ revoked: (await owners.revokeOthers(session)) ?? null }) },
    { method: 'POST', path: '/revoke-all', handle: async (session) => json({ revoked: (await owners.revokeAll(session)) ?? null }) },
  ];
}

interface Listed {
  id: string;
  current: boolean;
  createdAt: number | null;
  lastSeenAt: number | null;
  expiresAt: number;
  details: { userAgent: string } | null;
}

const sessionCookie = (response: HttpResponse): string => {
  const cookie = findCookie(response, 'id');
  if (cookie === undefined || cookie.value === '') throw new Error(`no session cookie in ${JSON.stringify(response.setCookie)}`);
  return cookieHeader(cookie);
};

/** One server with `options` and the owners API over them; a cookie jar per device. */
async function app(adapter: Adapter, pool: ReturnType<typeof serverPool>, options: SessionOptions) {
  const owners = createSessionManager(options).owners;
  const { url } = await pool.start(routes(owners), options);
  const jars = new Map<Device, string>();
  return {
    url,
    owners,
    async signIn(device: Device): Promise<string> {
      const cookie = sessionCookie(await send(`${url}/login/${device}`, { method: 'POST' }));
      jars.set(device, cookie);
      return cookie;
    },
    get: (device: Device, path: string) => send(`${url}${path}`, { cookie: jars.get(device)! }),
    post: (device: Device, path: string, body?: unknown) => send(`${url}${path}`, { method: 'POST', cookie: jars.get(device)!, json: body ?? {} }),
    state: async (device: Device) => JSON.parse((await send(`${url}/state`, { cookie: jars.get(device)! })).body) as Record<string, unknown>,
    list: async (device: Device) => JSON.parse((await send(`${url}/sessions`, { cookie: jars.get(device)! })).body) as Listed[],
  };
}

const devicesOf = (rows: readonly Listed[]): string[] => rows.map((row) => row.details?.userAgent ?? '?').sort();
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 86_400 * SECOND;

const cells = ADAPTERS.flatMap((adapter) => fixtures.map((fixture) => ({ label: `${adapter.name} × ${fixture.name}`, adapter, fixture })));

describe.each(cells)('$label:', ({ adapter, fixture }) => {
  const pool = serverPool(adapter);
  let clock: TestClock;
  let inspected: InspectedStore;
  const start = (extra: Partial<SessionOptions> = {}) => app(adapter, pool, { store: inspected.store, key: Key.generate(), now: clock.now, ...extra });
  beforeEach(() => {
    clock = testClock();
    // A Redis key that is not the session key, so "through cacheKeygen" is part of the picture.
    inspected = fixture.make({ now: clock.now, cacheKeygen: (sessionKey) => `s:${sessionKey}` });
  });
  afterEach(async () => {
    await pool.closeAll();
    await inspected.dispose();
  });

  test('three cookie jars of one owner: the list shows three with their details and exactly one current; another owner is never listed', async () => {
    const t = await start();
    const loginAt = clock.now();
    await t.signIn('laptop');
    clock.advance(MINUTE);
    await t.signIn('phone');
    clock.advance(MINUTE);
    await t.signIn('tablet');
    await t.signIn('desktop');
    const listed = await t.list('phone');
    expect(devicesOf(listed)).toEqual(['laptop', 'phone', 'tablet']);
    expect(listed.filter((row) => row.current).map((row) => row.details?.userAgent)).toEqual(['phone']);
    // Most recently seen first.
    expect(listed.map((row) => row.details?.userAgent)).toEqual(['tablet', 'phone', 'laptop']);
    const laptop = listed.find((row) => row.details?.userAgent === 'laptop')!;
    expect(laptop.createdAt).toBe(loginAt);
    expect(laptop.lastSeenAt).toBe(loginAt);
    // The default lifetime, one day; Redis computes it from its own TTL, in real time.
    expect(Math.abs(laptop.expiresAt - (fixture.name === 'memory' ? loginAt : Date.now()) - DAY)).toBeLessThan(MINUTE);
    expect(new Set(listed.map((row) => row.id)).size).toBe(3);
    expect(devicesOf(await t.list('desktop'))).toEqual(['desktop']);
  });

  test('revoking one makes its next request anonymous (record gone); "all but current" leaves one; the other owner untouched', async () => {
    const t = await start();
    for (const [, device] of DEVICES) await t.signIn(device);
    expect(await inspected.records()).toBe(4);
    const listed = await t.list('phone');
    const laptopId = listed.find((row) => row.details?.userAgent === 'laptop')!.id;
    const corroId = (await t.list('desktop'))[0]!.id;

    // Another owner's id is not one of ferris's: nothing happens to it.
    expect(JSON.parse((await t.post('phone', '/revoke', { id: corroId })).body)).toEqual({ revoked: false });
    expect(JSON.parse((await t.post('phone', '/revoke', { id: laptopId })).body)).toEqual({ revoked: true });
    expect(await inspected.records()).toBe(3);
    const next = await t.get('laptop', '/state');
    expect(JSON.parse(next.body)).toEqual({});
    // A record that is gone is actix's "state not found": the key is discarded and, as
    // actix-session does, nothing is written, so no Set-Cookie at all (the removal cookie comes
    // with the cookie store's revocations and with timeouts).
    expect(next.setCookie).toEqual([]);

    expect(JSON.parse((await t.post('phone', '/revoke-others')).body)).toEqual({ revoked: 1 });
    expect(devicesOf(await t.list('phone'))).toEqual(['phone']);
    expect(await t.state('tablet')).toEqual({});
    expect(await t.state('phone')).toEqual({ user: 'ferris' });
    expect(await t.state('desktop')).toEqual({ user: 'corro' });
    expect(devicesOf(await t.list('desktop'))).toEqual(['desktop']);
    expect(await inspected.records()).toBe(2);
  });

  test('a cap of 2 revokes the least recently seen at the third login', async () => {
    const t = await start({ owners: { maxSessionsPerOwner: 2 } });
    await t.signIn('laptop');
    clock.advance(MINUTE);
    await t.signIn('phone');
    clock.advance(MINUTE);
    // The laptop is used again: now the phone is the least recently seen.
    expect((await t.post('laptop', '/touch')).status).toBe(200);
    clock.advance(MINUTE);
    await t.signIn('tablet');
    expect(devicesOf(await t.list('tablet'))).toEqual(['laptop', 'tablet']);
    expect(await t.state('phone')).toEqual({});
    expect(await t.state('laptop')).toEqual({ user: 'ferris', touched: true });
    // Another owner's sessions do not count against ferris's cap, and are not touched by it.
    await t.signIn('desktop');
    expect(devicesOf(await t.list('desktop'))).toEqual(['desktop']);
    expect(devicesOf(await t.list('tablet'))).toEqual(['laptop', 'tablet']);
  });

  test('the listed id opens nothing: not as a cookie value, not as a store key, not through cacheKeygen', async () => {
    const t = await start();
    await t.signIn('laptop');
    const [row] = await t.list('laptop');
    const { id } = row!;
    for (const cookie of [`id=${id}`, `id=${encodeURIComponent(id)}`]) {
      const reply = await send(`${t.url}/state`, { cookie });
      expect(JSON.parse(reply.body)).toEqual({});
    }
    // The store (with its cacheKeygen, on Redis) has nothing under the id.
    expect(await inspected.store.load(id)).toBeNull();
    expect(await inspected.records()).toBe(1);
    expect(await t.state('laptop')).toEqual({ user: 'ferris' });
  });
});

/** Owner stamps that count the calls made to them. */
function counted(inner: OwnerRevocationStore): OwnerRevocationStore & { gets: string[] } {
  const gets: string[] = [];
  return { gets, get: (owner) => (gets.push(owner), inner.get(owner)), set: (owner, revocation, ttl) => inner.set(owner, revocation, ttl) };
}

const revocationSources = [
  { name: 'memory stamps', make: (clock: TestClock) => ({ revocations: new MemoryOwnerRevocations({ now: clock.now }), dispose: async () => {} }) },
  {
    name: 'Redis stamps',
    make: () => {
      const inspected = fixtures.find((fixture) => fixture.name === 'redis')!.make();
      return { revocations: (inspected.store as RedisSessionStore).ownerRevocations(), dispose: () => inspected.dispose() };
    },
  },
];
const cookieCells = ADAPTERS.flatMap((adapter) => revocationSources.map((source) => ({ label: `${adapter.name} × cookie × ${source.name}`, adapter, source })));

describe.each(cookieCells)('$label:', ({ adapter, source }) => {
  const pool = serverPool(adapter);
  let clock: TestClock;
  let stamps: ReturnType<typeof counted>;
  let dispose: () => Promise<void>;
  const start = () => app(adapter, pool, { store: new CookieSessionStore(), key: Key.generate(), now: clock.now, owners: { revocations: stamps } });
  beforeEach(() => {
    clock = testClock();
    const made = source.make(clock);
    stamps = counted(made.revocations);
    dispose = made.dispose;
  });
  afterEach(async () => {
    await pool.closeAll();
    await dispose();
  });
  const isRemoval = (response: HttpResponse): boolean => findCookie(response, 'id')?.value === '';

  test('after "revoke all", every cookie issued to that owner before loads empty with a removal cookie; other owners and later sign-ins are fine', async () => {
    const t = await start();
    for (const [, device] of DEVICES) await t.signIn(device);
    clock.advance(2 * SECOND);
    const revokeAll = await t.post('phone', '/revoke-all');
    expect(JSON.parse(revokeAll.body)).toEqual({ revoked: null });
    expect(isRemoval(revokeAll)).toBe(true);
    for (const device of ['laptop', 'tablet', 'phone'] as const) {
      const next = await t.get(device, '/state');
      expect({ device, state: JSON.parse(next.body), removal: isRemoval(next) }).toEqual({ device, state: {}, removal: true });
    }
    expect(await t.state('desktop')).toEqual({ user: 'corro' });
    clock.advance(2 * SECOND);
    await t.signIn('laptop');
    expect(await t.state('laptop')).toEqual({ user: 'ferris' });
  });

  test('"all but current" keeps the current cookie and ends the others', async () => {
    const t = await start();
    for (const [, device] of DEVICES) await t.signIn(device);
    clock.advance(2 * SECOND);
    expect((await t.post('phone', '/revoke-others')).status).toBe(200);
    expect(await t.state('phone')).toEqual({ user: 'ferris' });
    for (const device of ['laptop', 'tablet'] as const) {
      const next = await t.get(device, '/state');
      expect({ device, state: JSON.parse(next.body), removal: isRemoval(next) }).toEqual({ device, state: {}, removal: true });
    }
    expect(await t.state('desktop')).toEqual({ user: 'corro' });
  });

  test('requests of sessions without an owner make no call to the stamp store (counted)', async () => {
    const t = await start();
    const anonymous = sessionCookie(await send(`${t.url}/touch`, { method: 'POST' }));
    for (let i = 0; i < 10; i++) {
      const reply = await send(`${t.url}/state`, { cookie: anonymous });
      expect(JSON.parse(reply.body)).toEqual({ touched: true });
      await send(`${t.url}/touch`, { method: 'POST', cookie: anonymous });
    }
    await send(`${t.url}/state`);
    expect(stamps.gets).toEqual([]);
    // Control: a session with an owner is checked on every load.
    await t.signIn('laptop');
    await t.state('laptop');
    await t.state('laptop');
    expect(stamps.gets).toEqual(['ferris', 'ferris']);
  });
});
