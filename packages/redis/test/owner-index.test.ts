import { createSessionManager, Key, serializeState, withSessionMeta, type SessionState } from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { createAdminClient, deleteKeysWithPrefix, keysWithPrefix, type AdminClient } from './helpers/redis-inspector.js';
import { sharedRedisUrl, uniquePrefix } from './helpers/redis-urls.js';

// The Redis side of compare-and-update and of the owner index, looked at in Redis itself: the
// index key's TTL, its pruning, what the script leaves, the revocation keys.

const url = sharedRedisUrl();
const prefix = uniquePrefix('owner-index');
let admin: AdminClient;
let store: RedisSessionStore;

beforeAll(async () => {
  admin = createAdminClient(url);
  await admin.connect();
  // A generous command timeout: this file writes 1,000 sessions at once, and CI hosts can be slow.
  store = new RedisSessionStore({ url, keyPrefix: prefix, commandTimeoutMs: 15_000 });
});
afterAll(async () => {
  await store.close();
  await deleteKeysWithPrefix(admin, prefix);
  admin.destroy();
});

const owned = (owner: string, id: string, extra: Record<string, string> = {}): SessionState =>
  withSessionMeta(Object.assign(Object.create(null) as SessionState, extra), { owner, id, created: 1, active: 1 });

test('1,000 sessions of one owner that expire: the index shrinks to the live ones on the next listing, and keeps a TTL', async () => {
  const owner = 'crowd';
  for (let batch = 0; batch < 10; batch++) {
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.save(owned(owner, `short-${batch * 100 + i}`), 1)));
  }
  const live = await store.save(owned(owner, 'long'), 600);
  const index = `${prefix}sess:owner:${owner}`;
  expect(await admin.hLen(index)).toBe(1001);
  expect(await admin.ttl(index)).toBeGreaterThan(590);
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const listed = await store.listOwned(owner);
  expect(listed.map((row) => row.id)).toEqual(['long']);
  expect(await admin.hLen(index)).toBe(1);
  const ttl = await admin.ttl(index);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(600);
  expect(live).toHaveLength(64);
}, 20_000);

test('the index is keyed by owner: listing and deleting never reach another owner\'s sessions', async () => {
  const mine = await store.save(owned('alice', 'a1'), 600);
  const theirs = await store.save(owned('bob', 'b1'), 600);
  expect(await store.deleteOwned('alice', ['b1'])).toBe(0);
  expect(await store.load(theirs)).not.toBeNull();
  expect((await store.listOwned('bob')).map((row) => row.id)).toEqual(['b1']);
  expect(await store.deleteOwned('alice', ['a1'])).toBe(1);
  expect(await store.load(mine)).toBeNull();
  expect(await store.listOwned('alice')).toEqual([]);
});

test('compare-and-update: the script replaces the record and its TTL only if unchanged, and reports a conflict with the current record', async () => {
  const loaded = Object.assign(Object.create(null) as SessionState, { n: 1 });
  const key = await store.save(loaded, 60);
  const next = Object.assign(Object.create(null) as SessionState, { n: 2 });
  expect(await store.compareAndUpdate(key, loaded, next, 600)).toEqual({ outcome: 'updated', sessionKey: key });
  expect(await admin.get(`${prefix}${key}`)).toBe(serializeState(next));
  expect(await admin.ttl(`${prefix}${key}`)).toBeGreaterThan(590);
  const stale = await store.compareAndUpdate(key, loaded, Object.assign(Object.create(null) as SessionState, { n: 3 }), 600);
  expect(stale).toEqual({ outcome: 'conflict', current: next });
  await admin.del(`${prefix}${key}`);
  expect(await store.compareAndUpdate(key, next, loaded, 600)).toEqual({ outcome: 'missing' });
  expect(await admin.exists(`${prefix}${key}`)).toBe(0);
});

test('after SCRIPT FLUSH (a restart, a failover) the script is sent again with EVAL, transparently', async () => {
  const loaded = Object.assign(Object.create(null) as SessionState, { n: 1 });
  const key = await store.save(loaded, 60);
  await admin.scriptFlush();
  const next = Object.assign(Object.create(null) as SessionState, { n: 2 });
  expect(await store.compareAndUpdate(key, loaded, next, 60)).toEqual({ outcome: 'updated', sessionKey: key });
});

test('owner revocations for cookie sessions live under the prefix, with a TTL when they can expire', async () => {
  const revocations = store.ownerRevocations();
  expect(await revocations.get('carol')).toBeNull();
  await revocations.set('carol', { before: 1764720000, except: 'phone' }, 900);
  expect(await revocations.get('carol')).toEqual({ before: 1764720000, except: 'phone' });
  expect(await admin.ttl(`${prefix}sess:revoked:carol`)).toBeGreaterThan(890);
  await revocations.set('dave', { before: 1 }, undefined);
  expect(await admin.ttl(`${prefix}sess:revoked:dave`)).toBe(-1);
  expect(await keysWithPrefix(admin, `${prefix}sess:revoked:`)).toHaveLength(2);
});

test('through the lifecycle: sessions without an owner write no index key; with one, exactly one per owner', async () => {
  const manager = createSessionManager({ store, key: Key.generate() });
  const before = (await keysWithPrefix(admin, `${prefix}sess:`)).sort();
  for (let i = 0; i < 3; i++) {
    const rs = await manager.load(undefined);
    rs.session.insert('n', i);
    await manager.commit(rs);
  }
  expect((await keysWithPrefix(admin, `${prefix}sess:`)).sort()).toEqual(before);
  for (let i = 0; i < 3; i++) {
    const rs = await manager.load(undefined);
    rs.session.setOwner('erin');
    await manager.commit(rs);
  }
  expect((await keysWithPrefix(admin, `${prefix}sess:`)).filter((k) => !before.includes(k))).toEqual([`${prefix}sess:owner:erin`]);
  expect(await admin.hLen(`${prefix}sess:owner:erin`)).toBe(3);
});
