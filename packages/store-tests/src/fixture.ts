import type { SessionKey, SessionStore } from '@sess/core';

/**
 * Optional windows into the store's backend, so that the suite checks what was really written
 * and not only what the store reads back (Auth.js' adapter tests do the same). Give what your
 * backend can answer; each check runs only when its method is given.
 *
 * @example
 * ```ts
 * const inspect: StoreInspector = {
 *   exists: async (key) => (await redis.exists(key)) === 1,
 *   ttlSeconds: async (key) => { const ttl = await redis.ttl(key); return ttl === -2 ? null : ttl === -1 ? Infinity : ttl },
 * }
 * ```
 */
export interface StoreInspector {
  /** Whether the backend holds a record for the session key `key`. */
  exists?(key: SessionKey): Promise<boolean>;
  /**
   * Seconds left before the record of `key` expires, as the backend reports them (rounded as it
   * likes): `null` when there is no record, `Infinity` when it never expires.
   */
  ttlSeconds?(key: SessionKey): Promise<number | null>;
  /**
   * Writes `record` as the raw stored form of `key` (what the store would have written for a
   * state), expiring after `ttlSeconds`: lets the suite plant records that are not states.
   */
  writeRecord?(key: SessionKey, record: string, ttlSeconds: number): Promise<void>;
  /**
   * How many records this fixture's store holds. Only give it when each fixture has a backend
   * (or a key prefix) of its own, so that nothing else is counted.
   */
  count?(): Promise<number>;
}

/**
 * One store under test, created fresh for every test by your factory.
 *
 * @example
 * ```ts
 * const factory = (): StoreFixture => {
 *   const store = new MyStore(connectionString)
 *   return { store, teardown: () => store.close() }
 * }
 * ```
 */
export interface StoreFixture<S extends SessionStore = SessionStore> {
  /** The store under test. */
  store: S;
  /** Lets the suite look at the backend; see {@link StoreInspector}. */
  inspect?: StoreInspector;
  /**
   * Moves the store's clock forward by `seconds`, for stores with an injectable clock. Without it
   * the TTL tests wait in real time (a little over the TTL, which is 1 second in those tests).
   */
  advanceTime?(seconds: number): Promise<void>;
  /** Releases what the fixture created (connections, records); runs after every test. */
  teardown?(): Promise<void> | void;
}

/**
 * Creates a fresh {@link StoreFixture}; called once per test.
 *
 * @example
 * ```ts
 * const factory: StoreFixtureFactory = async () => ({ store: new MyStore(await freshDatabase()) })
 * ```
 */
export type StoreFixtureFactory<S extends SessionStore = SessionStore> = () => StoreFixture<S> | Promise<StoreFixture<S>>;

/**
 * What the store can do, when it differs from a server-side store such as Redis, and which
 * optional methods it implements. Tests of a capability the store lacks are reported as skipped,
 * with the reason in their title; every other test runs. A test checks that the optional
 * methods declared here are exactly the ones the store has.
 *
 * @example
 * ```ts
 * // CookieSessionStore: the state travels in the cookie
 * { expires: false, invalidates: false, keysAreState: true }
 * ```
 */
export interface SessionStoreCapabilities {
  /** States expire after their TTL and `updateTtl` changes it. Default `true`. */
  expires?: boolean;
  /**
   * Records can be removed: `delete` makes `load` return `null`, and `update` of a missing
   * record returns `null` without recreating it. Default `true`.
   */
  invalidates?: boolean;
  /**
   * The key is the serialised state itself (like `CookieSessionStore`): equal states may share a
   * key, and a key that is not a state is a `deserialization` error rather than unknown. Default `false`.
   */
  keysAreState?: boolean;
  /**
   * Every fixture's `inspect.writeRecord` can plant raw records, so the suite checks that records
   * which are not states load as `LoadError('deserialization')`. Default `false`.
   */
  rawRecords?: boolean;
  /**
   * Creates a store whose backend cannot be reached (a closed port, a stopped server). The suite
   * then checks that every method fails, in time, with the error `@sess/core` expects:
   * `LoadError('other')`, `SaveError('other')`, `UpdateError('other')`, and a rejection from
   * `updateTtl` and `delete`. Without it those checks do not run.
   */
  unavailable?: StoreFixtureFactory;
  /** How fast a call against `unavailable` must fail, in milliseconds. Default 5000. */
  unavailableFailsWithinMs?: number;
  /** The store implements the optional `loadSync`: checked to agree with `load`. Default `false`. */
  loadSync?: boolean;
  /**
   * The store implements the optional `compareAndUpdate`: conflicts detected, a missing record
   * never recreated, the TTL reset with the value, one winner among concurrent callers. Default `false`.
   */
  compareAndUpdate?: boolean;
  /**
   * The store implements the optional owner index (`listOwned` and `deleteOwned`): listing,
   * revocation, expiry and pruning. Default `false`.
   */
  ownerIndex?: boolean;
}
