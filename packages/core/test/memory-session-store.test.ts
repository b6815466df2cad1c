import { MemorySessionStore, SaveError, UpdateError, type SessionState } from '../src/index.js';

const state = (object: Record<string, unknown>) => Object.assign(Object.create(null), object) as SessionState;

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('MemorySessionStore', () => {
  test('round-trips a state under a generated key', async () => {
    const store = new MemorySessionStore();
    const key = await store.save(state({ user: 'ferris', n: 1 }), 60);
    expect(key).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(await store.load(key)).toEqual(state({ user: 'ferris', n: 1 }));
  });

  test('loads are copies: mutating a loaded state does not change the stored one', async () => {
    const store = new MemorySessionStore();
    const key = await store.save(state({ list: [1] }), 60);
    const loaded = (await store.load(key)) as { list: number[] };
    loaded.list.push(2);
    expect(await store.load(key)).toEqual(state({ list: [1] }));
  });

  test('honours the TTL: a state is gone once it expires', async () => {
    const time = clock();
    const store = new MemorySessionStore({ now: time.now });
    const key = await store.save(state({ n: 1 }), 10);
    time.advance(9_999);
    expect(await store.load(key)).not.toBeNull();
    time.advance(1);
    expect(await store.load(key)).toBeNull();
  });

  test('update of a missing or expired key returns null and does not recreate it', async () => {
    const time = clock();
    const store = new MemorySessionStore({ now: time.now });
    expect(await store.update('never-issued', state({ n: 1 }), 10)).toBeNull();
    expect(await store.load('never-issued')).toBeNull();
    const key = await store.save(state({ n: 1 }), 10);
    time.advance(10_000);
    expect(await store.update(key, state({ n: 2 }), 10)).toBeNull();
    expect(await store.load(key)).toBeNull();
    expect(store.size).toBe(0);
  });

  test('update keeps the key and resets the TTL', async () => {
    const time = clock();
    const store = new MemorySessionStore({ now: time.now });
    const key = await store.save(state({ n: 1 }), 10);
    time.advance(9_000);
    expect(await store.update(key, state({ n: 2 }), 10)).toBe(key);
    time.advance(9_000);
    expect(await store.load(key)).toEqual(state({ n: 2 }));
  });

  test('updateTtl extends a live entry and ignores a missing one', async () => {
    const time = clock();
    const store = new MemorySessionStore({ now: time.now });
    const key = await store.save(state({ n: 1 }), 10);
    time.advance(9_000);
    await store.updateTtl(key, 10);
    time.advance(9_000);
    expect(await store.load(key)).toEqual(state({ n: 1 }));
    await store.updateTtl('missing', 10);
    expect(await store.load('missing')).toBeNull();
  });

  test('delete invalidates like Redis: the old key loads nothing', async () => {
    const store = new MemorySessionStore();
    const key = await store.save(state({ n: 1 }), 60);
    await expect(store.delete(key)).resolves.toBe(true);
    expect(await store.load(key)).toBeNull();
    await expect(store.delete(key)).resolves.toBe(false);
  });

  test('expired entries are evicted as the store is written to, so memory stays bounded', async () => {
    const time = clock();
    const store = new MemorySessionStore({ now: time.now });
    for (let i = 0; i < 5_000; i++) await store.save(state({ i }), 10);
    expect(store.size).toBe(5_000);
    time.advance(10_000);
    await store.save(state({ fresh: true }), 10);
    expect(store.size).toBe(1);
  });

  test('mixed TTLs: expired entries behind a long-lived head are swept once the map doubles', async () => {
    const time = clock();
    const store = new MemorySessionStore({ now: time.now });
    await store.save(state({ longLived: true }), 1_000_000);
    // Many sessions that expire, behind the long-lived head.
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 1_000; i++) await store.save(state({ i }), 1);
      time.advance(1_000);
    }
    // Ten thousand were written; never more than about twice the live ones (≤ 1,001) plus the floor stay.
    expect(store.size).toBeLessThanOrEqual(2_100);
  });

  test('maxEntries evicts the entry closest to expiry', async () => {
    const store = new MemorySessionStore({ maxEntries: 2 });
    const a = await store.save(state({ a: 1 }), 60);
    const b = await store.save(state({ b: 1 }), 60);
    const c = await store.save(state({ c: 1 }), 60);
    expect(store.size).toBe(2);
    expect(await store.load(a)).toBeNull();
    expect(await store.load(b)).not.toBeNull();
    expect(await store.load(c)).not.toBeNull();
  });

  test('rejects a bad maxEntries at construction', () => {
    expect(() => new MemorySessionStore({ maxEntries: 0 })).toThrow(TypeError);
    expect(() => new MemorySessionStore({ maxEntries: 1.5 })).toThrow(TypeError);
  });

  test('a TTL that is not a whole number of seconds ≥ 1 is a SaveError / UpdateError', async () => {
    const store = new MemorySessionStore();
    await expect(store.save(state({}), 0)).rejects.toBeInstanceOf(SaveError);
    await expect(store.save(state({}), 1.5)).rejects.toBeInstanceOf(SaveError);
    const key = await store.save(state({}), 60);
    await expect(store.update(key, state({}), -1)).rejects.toBeInstanceOf(UpdateError);
  });

  test('many concurrent saves and updates keep every session distinct and intact', async () => {
    const store = new MemorySessionStore();
    const keys = await Promise.all(Array.from({ length: 500 }, (_, i) => store.save(state({ i }), 60)));
    expect(new Set(keys).size).toBe(500);
    await Promise.all(keys.map((key, i) => store.update(key, state({ i, updated: true }), 60)));
    const loaded = await Promise.all(keys.map((key) => store.load(key)));
    loaded.forEach((value, i) => expect(value).toEqual(state({ i, updated: true })));
  });
});
