import fc from 'fast-check';
import { MemorySessionStore, SaveError, SessionConfigError, UpdateError, type SessionState } from '../src/index.js';

const state = (object: Record<string, unknown>) => Object.assign(Object.create(null), object) as SessionState;

/** The error `new MemorySessionStore(options)` throws; fails the test when it throws nothing else. */
function configError(options: unknown): SessionConfigError {
  let thrown: unknown;
  try {
    new MemorySessionStore(options as never);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SessionConfigError);
  expect((thrown as SessionConfigError).code).toBe('INVALID_OPTIONS');
  return thrown as SessionConfigError;
}

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

  test('mixed TTLs: expired entries behind a long-lived one are evicted on the next write', async () => {
    const time = clock();
    const store = new MemorySessionStore({ now: time.now });
    await store.save(state({ longLived: true }), 1_000_000);
    // Many sessions that expire, written after the long-lived one (so not in expiry order).
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 1_000; i++) await store.save(state({ i }), 1);
      time.advance(1_000);
      // Each round's first write dropped every session of the round before.
      expect(store.size).toBe(1_001);
    }
    await store.save(state({ fresh: true }), 60);
    expect(store.size).toBe(2);
  });

  test('maxEntries evicts the session closest to expiry, not the oldest write', async () => {
    const store = new MemorySessionStore({ maxEntries: 2 });
    const oldest = await store.save(state({ oldest: 1 }), 600);
    const closest = await store.save(state({ closest: 1 }), 60);
    const newest = await store.save(state({ newest: 1 }), 300);
    expect(store.size).toBe(2);
    expect(await store.load(closest)).toBeNull();
    expect(await store.load(oldest)).toEqual(state({ oldest: 1 }));
    expect(await store.load(newest)).toEqual(state({ newest: 1 }));
  });

  test('maxEntries: update and updateTtl move a session in the eviction order', async () => {
    const time = clock();
    const store = new MemorySessionStore({ now: time.now, maxEntries: 3 });
    const extended = await store.save(state({ extended: 1 }), 60);
    const updated = await store.save(state({ updated: 1 }), 120);
    const shortened = await store.save(state({ shortened: 1 }), 600);
    await store.updateTtl(extended, 6_000);
    await store.update(updated, state({ updated: 2 }), 3_000);
    await store.updateTtl(shortened, 30);
    // Expiries are now 6000 s, 3000 s and 30 s: the shortened one goes first, then the new one.
    const fourth = await store.save(state({ fourth: 1 }), 300);
    expect(await store.load(shortened)).toBeNull();
    await store.save(state({ fifth: 1 }), 300);
    expect(await store.load(fourth)).toBeNull();
    expect(await store.load(extended)).toEqual(state({ extended: 1 }));
    expect(await store.load(updated)).toEqual(state({ updated: 2 }));
    expect(store.size).toBe(3);
  });

  test('maxEntries: equal expiries evict the older write first', async () => {
    const time = clock();
    const store = new MemorySessionStore({ now: time.now, maxEntries: 2 });
    const first = await store.save(state({ first: 1 }), 60);
    const second = await store.save(state({ second: 1 }), 60);
    const third = await store.save(state({ third: 1 }), 60);
    expect(await store.load(first)).toBeNull();
    expect(await store.load(second)).toEqual(state({ second: 1 }));
    expect(await store.load(third)).toEqual(state({ third: 1 }));
  });

  test('maxEntries: the session being saved is never the one evicted, even with the shortest TTL', async () => {
    const store = new MemorySessionStore({ maxEntries: 1 });
    const long = await store.save(state({ long: 1 }), 86_400);
    const short = await store.save(state({ short: 1 }), 1);
    expect(await store.load(short)).toEqual(state({ short: 1 }));
    expect(await store.load(long)).toBeNull();
  });

  test('maxEntries: expired sessions make room before a live one is evicted', async () => {
    const time = clock();
    const store = new MemorySessionStore({ now: time.now, maxEntries: 2 });
    const kept = await store.save(state({ kept: 1 }), 600);
    await store.save(state({ expires: 1 }), 10);
    time.advance(10_000);
    const added = await store.save(state({ added: 1 }), 60);
    expect(await store.load(kept)).toEqual(state({ kept: 1 }));
    expect(await store.load(added)).toEqual(state({ added: 1 }));
    expect(store.size).toBe(2);
  });

  test('agrees with a brute-force model over random operations with mixed TTLs and a bound', () => {
    const operation = fc.oneof(
      fc.record({ op: fc.constant('save' as const), ttl: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ op: fc.constantFrom('update' as const, 'updateTtl' as const), pick: fc.nat(), ttl: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ op: fc.constantFrom('delete' as const, 'load' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 5_000 }) }),
    );
    return fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(operation, { maxLength: 80 }), async (maxEntries, operations) => {
        const time = clock();
        const store = new MemorySessionStore({ now: time.now, maxEntries });
        // The model: a plain list, searched linearly for the entry closest to expiry (older write first).
        let model: { key: string; value: number; expiresAt: number; seq: number }[] = [];
        const issued: string[] = [];
        let seq = 0;
        const dropExpired = () => (model = model.filter((entry) => entry.expiresAt > time.now()));
        const find = (key: string) => model.find((entry) => entry.key === key && entry.expiresAt > time.now());
        for (const [step, operation] of operations.entries()) {
          const key = 'pick' in operation ? issued[operation.pick % Math.max(issued.length, 1)] ?? 'none' : 'none';
          switch (operation.op) {
            case 'save': {
              const saved = await store.save(state({ value: step }), operation.ttl);
              dropExpired();
              if (model.length >= maxEntries) {
                const closest = model.reduce((a, b) => (b.expiresAt < a.expiresAt || (b.expiresAt === a.expiresAt && b.seq < a.seq) ? b : a));
                model = model.filter((entry) => entry !== closest);
              }
              model.push({ key: saved, value: step, expiresAt: time.now() + operation.ttl * 1000, seq: seq++ });
              issued.push(saved);
              break;
            }
            case 'update':
            case 'updateTtl': {
              const entry = find(key);
              const result =
                operation.op === 'update'
                  ? await store.update(key, state({ value: step }), operation.ttl)
                  : await store.updateTtl(key, operation.ttl);
              if (operation.op === 'update') expect(result).toBe(entry === undefined ? null : key);
              if (entry !== undefined) {
                if (operation.op === 'update') entry.value = step;
                entry.expiresAt = time.now() + operation.ttl * 1000;
                entry.seq = seq++;
              }
              dropExpired();
              break;
            }
            case 'delete':
              expect(await store.delete(key)).toBe(find(key) !== undefined);
              model = model.filter((entry) => entry.key !== key);
              break;
            case 'load': {
              const entry = find(key);
              expect(await store.load(key)).toEqual(entry === undefined ? null : state({ value: entry.value }));
              break;
            }
            case 'advance':
              time.advance(operation.ms);
              break;
          }
        }
        for (const key of issued) {
          const entry = find(key);
          expect(await store.load(key)).toEqual(entry === undefined ? null : state({ value: entry.value }));
        }
        dropExpired();
        expect(store.size).toBe(model.length);
      }),
      { numRuns: 200 },
    );
  });

  test('rejects a bad maxEntries at construction with a SessionConfigError naming it', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN, Number.NEGATIVE_INFINITY, 2 ** 53, '10', null]) {
      const error = configError({ maxEntries });
      expect(error.option).toBe('maxEntries');
      expect(error.message).toMatch(/^maxEntries: /);
    }
    expect(new MemorySessionStore({ maxEntries: Number.POSITIVE_INFINITY }).size).toBe(0);
  });

  test('rejects a clock that is not a function, unknown options and a non-object', () => {
    expect(configError({ now: 123 }).option).toBe('now');
    expect(configError({ maxEntry: 10 }).option).toBe('maxEntry');
    expect(configError(null).option).toBe('options');
    expect(configError('maxEntries=10').option).toBe('options');
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
