import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import type { StoreInspector } from '@sess/store-tests';

/** `DATABASE_URL`, default the test database of the machine's PostgreSQL (trust auth). */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A table name no other test file, test or run uses (so test files run in parallel, and runs
 * of several helpers on one server, never collide). Drop it with {@link dropTable}.
 */
export function uniqueTable(label: string): string {
  return `sess_test_${label}_${randomBytes(5).toString('hex')}`;
}

/** A pool on {@link DATABASE_URL} for a test file; `'error'` listened to, as the README asks of apps. */
export function testPool(connectionString = DATABASE_URL): Pool {
  const pool = new Pool({ connectionString, connectionTimeoutMillis: 2000, max: 4 });
  pool.on('error', () => undefined);
  return pool;
}

/** Drops `table` (and its indexes) if it exists. */
export async function dropTable(pool: Pool, table: string): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS "${table}"`);
}

/**
 * Looks straight at `table`, as the store-tests suite asks: `exists` and `count` see live rows
 * only (an expired row is gone for every statement of the store, before the cleanup deletes it),
 * `ttlSeconds` reads `expires_at`, `writeRecord` plants a raw row.
 */
export function tableInspector(pool: Pool, table: string): Required<StoreInspector> {
  return {
    async exists(key) {
      const { rows } = await pool.query(`SELECT 1 FROM "${table}" WHERE key = $1 AND expires_at > now()`, [key]);
      return rows.length === 1;
    },
    async ttlSeconds(key) {
      const { rows } = await pool.query<{ left: number }>(
        `SELECT floor(extract(epoch FROM expires_at - now()))::float8 AS left FROM "${table}" WHERE key = $1 AND expires_at > now()`,
        [key],
      );
      return rows[0]?.left ?? null;
    },
    async writeRecord(key, record, ttlSeconds) {
      await pool.query(`INSERT INTO "${table}" (key, state, expires_at) VALUES ($1, $2, now() + $3::int * interval '1 second')`, [
        key,
        record,
        ttlSeconds,
      ]);
    },
    async count() {
      return Number((await pool.query(`SELECT count(*) AS n FROM "${table}" WHERE expires_at > now()`)).rows[0].n);
    },
  };
}

/** Every row of `table`, expired ones included. */
export async function rowCount(pool: Pool, table: string): Promise<number> {
  return Number((await pool.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
}
