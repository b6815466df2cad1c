import type { SessionKey } from '@sess/core';
import { PostgresSessionStore } from '@sess/postgres';
import { Pool } from 'pg';
import type { StoreFixture } from './stores.js';

/** The PostgreSQL these tests use: `DATABASE_URL`, default the machine's test database. */
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A `PostgresSessionStore` in a table of its own, named from `keyPrefix` (unique per test file),
 * shared by the file's tests: `fresh()` empties the table first, and `held()` reads the table
 * itself (live rows: an expired row is gone for every statement of the store).
 *
 * @example
 * ```ts
 * const postgres = postgresFixture('sess-security:fixation:') // table sess_security_fixation
 * ```
 */
export function postgresFixture(keyPrefix: string): StoreFixture {
  const table = keyPrefix.replace(/[^A-Za-z0-9]+/g, '_').replace(/_+$/, '').toLowerCase();
  let pool: Pool | undefined;
  let store: PostgresSessionStore | undefined;
  const connected = (): Pool => {
    if (pool === undefined) throw new Error('postgresFixture: call open() first (in beforeAll)');
    return pool;
  };
  return {
    name: 'postgres',
    serverSide: true,
    async open() {
      pool = new Pool({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 });
      pool.on('error', () => undefined);
      // Leftovers of an interrupted run would only confuse held(); start clean.
      await pool.query(`DROP TABLE IF EXISTS "${table}"`);
      store = new PostgresSessionStore({ pool, tableName: table, cleanupIntervalSeconds: false });
      await store.createSchema();
    },
    async fresh() {
      if (store === undefined) throw new Error('postgresFixture: call open() first (in beforeAll)');
      await connected().query(`DELETE FROM "${table}"`);
      return {
        store,
        held: async () => {
          const { rows } = await connected().query<{ key: string; state: string }>(`SELECT key, state FROM "${table}" WHERE expires_at > now()`);
          return new Map<SessionKey, string>(rows.map((row) => [row.key, row.state]));
        },
        holds: async (sessionKey) =>
          (await connected().query(`SELECT 1 FROM "${table}" WHERE key = $1 AND expires_at > now()`, [sessionKey])).rows.length === 1,
        writeRecord: async (sessionKey, text, ttlSeconds) => {
          await connected().query(`INSERT INTO "${table}" (key, state, expires_at) VALUES ($1, $2, now() + $3::int * interval '1 second')`, [
            sessionKey,
            text,
            ttlSeconds,
          ]);
        },
      };
    },
    async close() {
      await store?.close();
      store = undefined;
      if (pool !== undefined) {
        await pool.query(`DROP TABLE IF EXISTS "${table}"`);
        await pool.end();
        pool = undefined;
      }
    },
  };
}
