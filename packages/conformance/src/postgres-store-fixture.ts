import { PostgresSessionStore } from '@sess/postgres';
import { Pool } from 'pg';
import type { StoreFixture } from './stores.js';

/**
 * The PostgreSQL the suites use: `DATABASE_URL` (default the machine's test database,
 * `postgres://postgres@127.0.0.1:5432/test`).
 *
 * @example
 * ```ts
 * new Pool({ connectionString: CONFORMANCE_DATABASE_URL })
 * ```
 */
export const CONFORMANCE_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A PostgreSQL store shared by every server of one test file, in a table of its own named from
 * `keyPrefix` (unique per test file, so files can run in parallel): created by `open`
 * (`createSchema`), dropped by `close`.
 *
 * @example
 * ```ts
 * const postgres = postgresStoreFixture('sess-conformance:acceptance:') // table sess_conformance_acceptance
 * ```
 */
export function postgresStoreFixture(keyPrefix: string): StoreFixture {
  const table = keyPrefix.replace(/[^A-Za-z0-9]+/g, '_').replace(/_+$/, '').toLowerCase();
  let pool: Pool | undefined;
  let store: PostgresSessionStore | undefined;
  return {
    name: 'postgres',
    invalidationSupported: true,
    async open() {
      pool = new Pool({ connectionString: CONFORMANCE_DATABASE_URL, connectionTimeoutMillis: 2000 });
      pool.on('error', () => undefined);
      // Leftovers of an interrupted run: start clean.
      await pool.query(`DROP TABLE IF EXISTS "${table}"`);
      store = new PostgresSessionStore({ pool, tableName: table, cleanupIntervalSeconds: false });
      await store.createSchema();
    },
    store() {
      if (store === undefined) throw new Error('postgresStoreFixture: call open() first (in beforeAll)');
      return store;
    },
    async close() {
      await store?.close();
      await pool?.query(`DROP TABLE IF EXISTS "${table}"`);
      await pool?.end();
      store = undefined;
      pool = undefined;
    },
  };
}
