import {
  generateSessionKey,
  isValidSessionKey,
  LoadError,
  SaveError,
  UpdateError,
  type SessionKey,
  type SessionState,
  type SessionStore,
} from '@sess/core';
import type { SessionStoreCapabilities, StoreFixture, StoreFixtureFactory, StoreInspector } from './fixture.js';
import { canonical, JSON_SAMPLES, stateOf } from './json-samples.js';
import { compareAndUpdateTests } from './groups/compare-and-update.js';
import { loadSyncTests } from './groups/load-sync.js';
import { metaRoundTripTests } from './groups/meta-round-trip.js';
import { ownerIndexTests } from './groups/owner-index.js';
import { itIf } from './reported-skip.js';
import type { SuiteContext } from './suite-context.js';

/** Session keys no store generates, which must never reach, match or disturb another record. */
const MALFORMED_KEYS: readonly (readonly [label: string, key: string])[] = [
  ['the empty string', ''],
  ['a space', ' '],
  ['a glob pattern', '*'],
  ['a character class', '[a-z]*'],
  ['a newline', 'a\r\nb'],
  ['a NUL character', 'a\u0000b'],
  ['non-ASCII text', 'ключ 🔑'],
  ['a cluster hash tag', '{tag}rest'],
  ['a path', '../../etc/passwd'],
  ['SQL', "' OR '1'='1' --"],
  ['4064 bytes', 'k'.repeat(4064)],
];

/** Stored records that are not session states: loading them is a `deserialization` error. */
const UNREADABLE_RECORDS: readonly (readonly [label: string, record: string])[] = [
  ['text that is not JSON', 'random-thing-which-is-not-json'],
  ['a JSON array', '[1,2,3]'],
  ['a JSON string', '"state"'],
  ['a JSON number', '42'],
  ['an unknown format version', '{"v":2,"state":{"user":"ferris"}}'],
  ['a legacy record whose value is not JSON', '{"user":"ferris"}'],
];

/**
 * States that JSON cannot hold, which `save` and `update` must refuse with a `serialization`
 * error rather than write something that loads back different (JSON.stringify drops `undefined`
 * and functions and turns NaN into null) or let a raw TypeError escape. Built per test, since a
 * cycle cannot be shared safely.
 */
const UNSERIALIZABLE_STATES: readonly (readonly [label: string, state: () => SessionState])[] = [
  ['a bigint', () => unchecked({ user: 'ferris', id: 10n })],
  [
    'a cycle',
    () => {
      const state = stateOf({ user: 'ferris' });
      return unchecked({ self: state }, state);
    },
  ],
  ['an undefined value', () => unchecked({ user: 'ferris', missing: undefined })],
  ['a function', () => unchecked({ user: 'ferris', callback: () => 'ferris' })],
  ['a symbol', () => unchecked({ user: 'ferris', tag: Symbol('ferris') })],
  ['NaN', () => unchecked({ user: 'ferris', count: Number.NaN })],
  ['Infinity', () => unchecked({ user: 'ferris', limit: Number.POSITIVE_INFINITY })],
  ['-Infinity', () => unchecked({ user: 'ferris', floor: Number.NEGATIVE_INFINITY })],
  ['undefined inside an array', () => unchecked({ list: [1, undefined, 3] })],
  // A hole, which `Array.prototype.map` skips: a naive serialiser writes `[1,,3]`, which is not JSON.
  ['a sparse array', () => unchecked({ list: Object.assign(new Array<number>(3), { 0: 1, 2: 3 }) })],
  ['NaN deep inside an object', () => unchecked({ nested: { deeper: { count: Number.NaN } } })],
];

const INVALID_TTLS: readonly number[] = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY];
const TTL = 60;

/**
 * Registers the `SessionStore` conformance suite for one store: jest `describe`/`it` blocks that
 * check the whole contract of `@sess/core` — round trips of every JSON type, `__proto__` keys
 * kept as data, copies rather than aliases, TTLs honoured (and written with the value, when the
 * fixture can look), `update` of a missing record returning `null` without recreating it,
 * `delete` reporting whether it removed a record, unknown and malformed keys, unreadable records,
 * distinct keys for concurrent saves, states JSON cannot hold refused with a `serialization`
 * error, and errors of the right kind. Call it at the top level of a test file.
 *
 * `factory` runs before every test (a fresh store each time) and the fixture's `teardown` after
 * it. Every test title starts with `name`.
 *
 * @example
 * ```ts
 * import { describeSessionStore } from '@sess/store-tests'
 *
 * describeSessionStore('MyStore', () => {
 *   const store = new MyStore()
 *   return { store, teardown: () => store.close() }
 * })
 * ```
 */
export function describeSessionStore<S extends SessionStore>(
  name: string,
  factory: StoreFixtureFactory<S>,
  capabilities: SessionStoreCapabilities = {},
): void {
  const expires = capabilities.expires ?? true;
  const invalidates = capabilities.invalidates ?? true;
  const keysAreState = capabilities.keysAreState ?? false;
  const rawRecords = capabilities.rawRecords ?? false;
  const { unavailable } = capabilities;
  const unavailableWithinMs = capabilities.unavailableFailsWithinMs ?? 5000;

  describe(`${name}: SessionStore contract`, () => {
    let fixture: StoreFixture<S>;
    let store: S;
    let inspect: StoreInspector;
    // The fixture to tear down: unset while a factory call fails, so nothing is torn down twice.
    let live: StoreFixture<S> | undefined;

    beforeEach(async () => {
      live = undefined;
      fixture = await factory();
      live = fixture;
      store = fixture.store;
      inspect = fixture.inspect ?? {};
    });
    afterEach(async () => {
      await live?.teardown?.();
      live = undefined;
    });

    /** Lets `seconds` pass for the store: its own clock if it has one, else real time. */
    const elapse = async (seconds: number): Promise<void> => {
      if (fixture.advanceTime) await fixture.advanceTime(seconds);
      else await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 250));
    };
    const expectLoads = async (key: SessionKey, expected: SessionState): Promise<void> => {
      const loaded = await store.load(key);
      expect(loaded).not.toBeNull();
      expect(canonical(loaded)).toBe(canonical(expected));
    };
    const expectGone = async (key: SessionKey): Promise<void> => {
      expect(await store.load(key)).toBeNull();
      if (inspect.exists) expect(await inspect.exists(key)).toBe(false);
    };
    const expectTtlNear = async (key: SessionKey, ttlSeconds: number): Promise<void> => {
      if (!inspect.ttlSeconds) return;
      const left = await inspect.ttlSeconds(key);
      // Written with the value: never a record without an expiry.
      expect(left).not.toBeNull();
      expect(Number.isFinite(left)).toBe(true);
      expect(left).toBeLessThanOrEqual(ttlSeconds);
      expect(left).toBeGreaterThanOrEqual(ttlSeconds - 2);
    };
    const countOrUndefined = async (): Promise<number | undefined> => (inspect.count ? inspect.count() : undefined);
    const expectCount = async (before: number | undefined, delta: number): Promise<void> => {
      if (before !== undefined) expect(await countOrUndefined()).toBe(before + delta);
    };

    describe('save and load', () => {
      it('round-trips a state holding every kind of JSON value', async () => {
        const state = stateOf(Object.fromEntries(JSON_SAMPLES.map(([label, value], i) => [`${i}: ${label}`, value])));
        // The cookie store's 4064-byte limit: split in two when the whole set is larger.
        const parts = keysAreState
          ? [JSON_SAMPLES.slice(0, 12), JSON_SAMPLES.slice(12)].map((part) =>
              stateOf(Object.fromEntries(part.map(([label, value]) => [label, value]))),
            )
          : [state];
        for (const part of parts) await expectLoads(await store.save(part, TTL), part);
      });

      it.each(JSON_SAMPLES.map(([label, value]) => [label, value] as const))('round-trips %s', async (_label, value) => {
        const state = stateOf({ value, nested: { inside: [value] } });
        await expectLoads(await store.save(state, TTL), state);
      });

      it('round-trips an empty state', async () => {
        const key = await store.save(stateOf({}), TTL);
        await expectLoads(key, stateOf({}));
      });

      it('keeps __proto__, constructor and prototype keys as plain data, polluting nothing', async () => {
        const state = JSON.parse(
          '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":1,"hasOwnProperty":"no","toString":"x"}',
        ) as SessionState;
        const key = await store.save(state, TTL);
        const loaded = await store.load(key);
        expect(loaded).not.toBeNull();
        const own = loaded as Record<string, unknown>;
        expect(Object.keys(own).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'prototype', 'toString']);
        expect(canonical(Object.getOwnPropertyDescriptor(own, '__proto__')?.value)).toBe('{"polluted":"yes"}');
        expect(canonical(loaded)).toBe(canonical(state));
        // The loaded object is a plain (or null-prototype) object, not one whose prototype was swapped.
        expect([null, Object.prototype]).toContain(Object.getPrototypeOf(loaded));
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty('polluted');
      });

      it('stores a copy: changing the saved or the loaded objects afterwards changes nothing stored', async () => {
        const state = stateOf({ list: [1, 2], nested: { count: 1 } });
        const key = await store.save(state, TTL);
        (state.list as number[]).push(3);
        (state.nested as { count: number }).count = 99;
        state.added = true;
        const first = await store.load(key);
        ((first as SessionState).list as number[]).push(4);
        (first as SessionState).added = true;
        await expectLoads(key, stateOf({ list: [1, 2], nested: { count: 1 } }));
      });

      it('returns a session key: a string of at most 4064 UTF-8 bytes', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), TTL);
        expect(typeof key).toBe('string');
        expect(isValidSessionKey(key)).toBe(true);
      });

      it('gives concurrent saves of different states distinct keys, each loading its own state', async () => {
        const states = Array.from({ length: 50 }, (_, i) => stateOf({ i, tag: `state-${i}` }));
        const before = await countOrUndefined();
        const keys = await Promise.all(states.map((state) => store.save(state, TTL)));
        expect(new Set(keys).size).toBe(states.length);
        for (const [i, key] of keys.entries()) await expectLoads(key, states[i] as SessionState);
        if (!keysAreState) await expectCount(before, states.length);
      });

      itIf(!keysAreState, 'its keys are the state')('gives equal states saved concurrently distinct keys', async () => {
        const keys = await Promise.all(Array.from({ length: 20 }, () => store.save(stateOf({ same: true }), TTL)));
        expect(new Set(keys).size).toBe(keys.length);
      });

      itIf(!keysAreState, 'its keys are the state')('does not put the state in the key', async () => {
        const secret = `secret-${generateSessionKey()}`;
        const key = await store.save(stateOf({ secret }), TTL);
        expect(key).not.toContain(secret);
      });

      itIf(!keysAreState, 'its keys are the state')('stores a large state (64 KiB)', async () => {
        const state = stateOf({ blob: 'x'.repeat(64 * 1024), list: Array.from({ length: 1000 }, (_, i) => i) });
        await expectLoads(await store.save(state, TTL), state);
      });

      itIf(expires, 'its states do not expire')('writes the TTL together with the record', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), TTL);
        if (inspect.exists) expect(await inspect.exists(key)).toBe(true);
        await expectTtlNear(key, TTL);
      });
    });

    describe('update', () => {
      it('replaces the whole state and returns a key that loads the new one', async () => {
        const key = await store.save(stateOf({ user: 'ferris', counter: 1 }), TTL);
        const next = await store.update(key, stateOf({ counter: 2, role: 'admin' }), TTL);
        expect(typeof next).toBe('string');
        await expectLoads(next as SessionKey, stateOf({ counter: 2, role: 'admin' }));
      });

      it('replaces a state with an empty one', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), TTL);
        const next = await store.update(key, stateOf({}), TTL);
        expect(typeof next).toBe('string');
        await expectLoads(next as SessionKey, stateOf({}));
      });

      itIf(invalidates, 'its records cannot be removed')('returns null for a key that was never saved, and creates no record', async () => {
        const key = generateSessionKey();
        const before = await countOrUndefined();
        expect(await store.update(key, stateOf({ user: 'mallory' }), TTL)).toBeNull();
        await expectGone(key);
        await expectCount(before, 0);
      });

      itIf(invalidates, 'its records cannot be removed')('returns null after delete, and does not bring the state back (no resurrection)', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), TTL);
        await store.delete(key);
        expect(await store.update(key, stateOf({ user: 'ferris', counter: 2 }), TTL)).toBeNull();
        await expectGone(key);
      });

      itIf(expires && invalidates, 'its states do not expire or cannot be removed')('returns null after the state expired, and does not bring it back', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), 1);
        await elapse(1);
        expect(await store.update(key, stateOf({ user: 'ferris', counter: 2 }), TTL)).toBeNull();
        await expectGone(key);
      });

      itIf(expires, 'its states do not expire')('resets the TTL', async () => {
        const key = await store.save(stateOf({ counter: 1 }), 1);
        const next = (await store.update(key, stateOf({ counter: 2 }), TTL)) as SessionKey;
        await expectTtlNear(next, TTL);
        await elapse(1);
        await expectLoads(next, stateOf({ counter: 2 }));
      });
    });

    describe('updateTtl', () => {
      it('leaves the state unchanged', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), TTL);
        await store.updateTtl(key, TTL);
        await expectLoads(key, stateOf({ user: 'ferris' }));
      });

      itIf(expires, 'its states do not expire')('extends the TTL', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), 1);
        await store.updateTtl(key, TTL);
        await expectTtlNear(key, TTL);
        await elapse(1);
        await expectLoads(key, stateOf({ user: 'ferris' }));
      });

      itIf(expires, 'its states do not expire')('shortens the TTL', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), TTL);
        await store.updateTtl(key, 1);
        await elapse(1);
        await expectGone(key);
      });

      itIf(invalidates, 'its records cannot be removed')('does nothing for a missing key: no record is created', async () => {
        const key = generateSessionKey();
        const before = await countOrUndefined();
        await store.updateTtl(key, TTL);
        await expectGone(key);
        await expectCount(before, 0);
      });
    });

    describe('delete', () => {
      itIf(invalidates, 'its records cannot be removed')('removes the record: load returns null', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), TTL);
        await store.delete(key);
        await expectGone(key);
      });

      itIf(invalidates, 'its records cannot be removed')('removes only that session', async () => {
        const kept = await store.save(stateOf({ user: 'ferris' }), TTL);
        const removed = await store.save(stateOf({ user: 'mallory' }), TTL);
        await store.delete(removed);
        await expectLoads(kept, stateOf({ user: 'ferris' }));
      });

      itIf(invalidates, 'its records cannot be removed')('reports whether it removed a record: true, then false once it is gone', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), TTL);
        // The lifecycle drops a renewal whose old record vanished (a logout meanwhile) on `false`.
        await expect(store.delete(key)).resolves.toBe(true);
        await expect(store.delete(key)).resolves.toBe(false);
        await expect(store.delete(generateSessionKey())).resolves.toBe(false);
      });

      it('accepts a missing key, and deleting twice', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), TTL);
        await store.delete(key);
        await store.delete(key);
        await store.delete(generateSessionKey());
      });
    });

    describe('expiry', () => {
      itIf(expires, 'its states do not expire')('forgets a state once its TTL has passed', async () => {
        const key = await store.save(stateOf({ user: 'ferris' }), 1);
        await expectLoads(key, stateOf({ user: 'ferris' }));
        await elapse(1);
        await expectGone(key);
      });
    });

    describe('unknown and malformed keys', () => {
      itIf(!keysAreState, 'its keys are the state')('loads null for a well-formed key that was never saved', async () => {
        expect(await store.load(generateSessionKey())).toBeNull();
      });

      itIf(keysAreState, 'its keys are not the state')('fails with LoadError(deserialization) for a key that is not a state', async () => {
        await expect(store.load(generateSessionKey())).rejects.toMatchObject({ name: 'LoadError', kind: 'deserialization' });
      });

      it.each(MALFORMED_KEYS.map(([label, key]) => [label, key] as const))(
        'handles a key made of %s without touching other sessions',
        async (_label, key) => {
          const other = await store.save(stateOf({ user: 'ferris' }), TTL);
          const before = await countOrUndefined();
          if (keysAreState) {
            const error = await store.load(key).then(
              () => undefined,
              (reason: unknown) => reason,
            );
            expect(error).toBeInstanceOf(LoadError);
            expect((error as LoadError).kind).toBe('deserialization');
          } else {
            expect(await store.load(key)).toBeNull();
          }
          if (invalidates) expect(await store.update(key, stateOf({ user: 'mallory' }), TTL)).toBeNull();
          await store.updateTtl(key, TTL);
          await store.delete(key);
          if (!keysAreState) expect(await store.load(key)).toBeNull();
          await expectLoads(other, stateOf({ user: 'ferris' }));
          await expectCount(before, 0);
        },
      );
    });

    describe('unreadable records', () => {
      itIf(keysAreState || rawRecords, 'its fixture cannot plant raw records').each(UNREADABLE_RECORDS.map(([label, record]) => [label, record] as const))(
        'fails with LoadError(deserialization), not a store failure, for %s',
        async (_label, record) => {
          let key = record;
          if (!keysAreState) {
            if (!inspect.writeRecord) throw new Error('capabilities.rawRecords is set but the fixture has no inspect.writeRecord');
            key = generateSessionKey();
            await inspect.writeRecord(key, record, TTL);
          }
          const error = await store.load(key).then(
            () => undefined,
            (reason: unknown) => reason,
          );
          expect(error).toBeInstanceOf(LoadError);
          expect((error as LoadError).kind).toBe('deserialization');
        },
      );
    });

    describe('errors', () => {
      it.each(UNSERIALIZABLE_STATES.map(([label, state]) => [label, state] as const))(
        'save refuses a state holding %s with SaveError(serialization), writing nothing',
        async (_label, state) => {
          const before = await countOrUndefined();
          const error = await rejectionOf(() => store.save(state(), TTL));
          expect(error).toBeInstanceOf(SaveError);
          expect((error as SaveError).kind).toBe('serialization');
          await expectCount(before, 0);
        },
      );

      it.each(UNSERIALIZABLE_STATES.map(([label, state]) => [label, state] as const))(
        'update refuses a state holding %s with UpdateError(serialization), keeping the stored state',
        async (_label, state) => {
          const key = await store.save(stateOf({ user: 'ferris' }), TTL);
          const before = await countOrUndefined();
          const error = await rejectionOf(() => store.update(key, state(), TTL));
          expect(error).toBeInstanceOf(UpdateError);
          expect((error as UpdateError).kind).toBe('serialization');
          await expectLoads(key, stateOf({ user: 'ferris' }));
          if (expires) await expectTtlNear(key, TTL);
          await expectCount(before, 0);
        },
      );

      itIf(expires, 'its states do not expire').each(INVALID_TTLS.map((ttl) => [ttl] as const))(
        'refuses a TTL of %p with the method’s error, writing nothing',
        async (ttl) => {
          const key = await store.save(stateOf({ user: 'ferris' }), TTL);
          const before = await countOrUndefined();
          await expect(store.save(stateOf({ user: 'mallory' }), ttl)).rejects.toBeInstanceOf(SaveError);
          await expect(store.update(key, stateOf({ user: 'mallory' }), ttl)).rejects.toBeInstanceOf(UpdateError);
          await expect(store.updateTtl(key, ttl)).rejects.toBeInstanceOf(Error);
          await expectLoads(key, stateOf({ user: 'ferris' }));
          await expectTtlNear(key, TTL);
          await expectCount(before, 0);
        },
      );
    });

    const ctx: SuiteContext = {
      get store() {
        return store;
      },
      get inspect() {
        return inspect;
      },
      elapse,
      expectLoads,
      expectGone,
      expectTtlNear,
    };
    it('declares exactly the optional methods it implements (loadSync, compareAndUpdate, listOwned/deleteOwned)', () => {
      expect({
        loadSync: typeof store.loadSync === 'function',
        compareAndUpdate: typeof store.compareAndUpdate === 'function',
        ownerIndex: typeof store.listOwned === 'function' && typeof store.deleteOwned === 'function',
      }).toEqual({ loadSync: capabilities.loadSync ?? false, compareAndUpdate: capabilities.compareAndUpdate ?? false, ownerIndex: capabilities.ownerIndex ?? false });
    });
    metaRoundTripTests(ctx, capabilities.compareAndUpdate ?? false);
    loadSyncTests(ctx, capabilities.loadSync ?? false);
    compareAndUpdateTests(ctx, capabilities.compareAndUpdate ?? false, invalidates);
    ownerIndexTests(ctx, capabilities.ownerIndex ?? false, expires);
  });

  if (unavailable) {
    describe(`${name}: SessionStore contract when the backend is unreachable`, () => {
      let fixture: StoreFixture;
      let live: StoreFixture | undefined;
      beforeEach(async () => {
        live = undefined;
        fixture = await unavailable();
        live = fixture;
      });
      afterEach(async () => {
        await live?.teardown?.();
        live = undefined;
      });

      const failure = async (call: () => Promise<unknown>): Promise<unknown> => {
        const started = performance.now();
        const error = await call().then(
          () => undefined,
          (reason: unknown) => reason,
        );
        expect(performance.now() - started).toBeLessThan(unavailableWithinMs);
        expect(error).toBeInstanceOf(Error);
        return error;
      };

      it('load fails with LoadError(other), never null nor deserialization', async () => {
        const error = await failure(() => fixture.store.load(generateSessionKey()));
        expect(error).toBeInstanceOf(LoadError);
        expect((error as LoadError).kind).toBe('other');
      });

      it('save fails with SaveError(other)', async () => {
        const error = await failure(() => fixture.store.save(stateOf({ user: 'ferris' }), TTL));
        expect(error).toBeInstanceOf(SaveError);
        expect((error as SaveError).kind).toBe('other');
      });

      it('update fails with UpdateError(other), never null', async () => {
        const error = await failure(() => fixture.store.update(generateSessionKey(), stateOf({ user: 'ferris' }), TTL));
        expect(error).toBeInstanceOf(UpdateError);
        expect((error as UpdateError).kind).toBe('other');
      });

      it('updateTtl and delete fail', async () => {
        await failure(() => fixture.store.updateTtl(generateSessionKey(), TTL));
        await failure(() => fixture.store.delete(generateSessionKey()));
      });

      it('keeps failing within the bound on later calls', async () => {
        for (let i = 0; i < 3; i++) await failure(() => fixture.store.load(generateSessionKey()));
      });
    });
  }
}

/**
 * What the promise `call` returns rejects with, or `undefined` when it resolves (which the
 * caller's expectations then reject). A method that throws instead of returning a rejected
 * promise breaks the contract ("all return promises"): that fails the test, saying so.
 */
function rejectionOf(call: () => Promise<unknown>): Promise<unknown> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error(`The store threw synchronously instead of returning a rejected promise: ${String(error)}`, { cause: error });
  }
  return promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
}

/**
 * Defines `entries` as own data properties of `target` (a new null-prototype state by default),
 * without the JSON typing of `stateOf`: for the values a store must refuse.
 */
function unchecked(entries: Record<string, unknown>, target: SessionState = stateOf({})): SessionState {
  for (const key of Object.keys(entries)) {
    Object.defineProperty(target, key, { value: entries[key], enumerable: true, writable: true, configurable: true });
  }
  return target;
}

/** Stands in for `it` when a test does not apply to the store: registers nothing. */
