import { CookieSessionStore, MemorySessionStore, type ContentSecurity, type SessionStore } from '@sess/core';
import { postgresStoreFixture } from './postgres-store-fixture.js';
import { redisStoreFixture } from './redis-store-fixture.js';

/**
 * A store the suites run against.
 *
 * @example
 * ```ts
 * const options = { store: fixture.store(), key: Key.generate() }
 * ```
 */
export interface StoreFixture {
  readonly name: 'cookie' | 'memory' | 'redis' | 'postgres';
  /**
   * actix's `is_invalidation_supported`: once a session is purged or renewed, its old cookie
   * loads nothing (true for server-side stores, false for the cookie store).
   */
  readonly invalidationSupported: boolean;
  /** Connects what the fixture needs; call in `beforeAll`. */
  open(): Promise<void>;
  /** The store for one test server: fresh for memory, shared for Redis and PostgreSQL (as actix shares one connection). */
  store(): SessionStore;
  /** Removes what the fixture wrote and disconnects; call in `afterAll`. */
  close(): Promise<void>;
}

/**
 * Both content-security modes; actix runs its acceptance suite once with each.
 *
 * @example
 * ```ts
 * matrix(ADAPTERS, stores, MODES)
 * ```
 */
export const MODES: readonly ContentSecurity[] = ['signed', 'private'];

const cookieFixture: StoreFixture = {
  name: 'cookie',
  invalidationSupported: false,
  open: async () => {},
  store: () => new CookieSessionStore(),
  close: async () => {},
};

const memoryFixture: StoreFixture = {
  name: 'memory',
  invalidationSupported: true,
  open: async () => {},
  store: () => new MemorySessionStore(),
  close: async () => {},
};

/**
 * The stores of the matrix for one test file: cookie, memory, Redis (database 2, under
 * `keyPrefix`, which must be unique per test file so files can run in parallel) and PostgreSQL
 * (a table named from `keyPrefix`).
 *
 * @example
 * ```ts
 * const stores = storeFixtures('sess-conformance:acceptance:')
 * beforeAll(() => Promise.all(stores.map((s) => s.open())))
 * afterAll(() => Promise.all(stores.map((s) => s.close())))
 * ```
 */
export function storeFixtures(keyPrefix: string): StoreFixture[] {
  return [cookieFixture, memoryFixture, redisStoreFixture(keyPrefix), postgresStoreFixture(keyPrefix)];
}
