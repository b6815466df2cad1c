import type { TableName } from './table-name.js';

/**
 * The SQL of every store method, for one table, built once per store. Each method is one
 * statement, so atomic on its own (PostgreSQL runs a lone statement as a transaction). Times
 * come from the server (`now()`), so app servers with skewed clocks agree on expiry. A row at or
 * past `expires_at` is never read, updated, extended or listed, even before the cleanup deletes it.
 *
 * Parameters: `$1` the session key; TTLs are whole seconds (`$n::int * interval '1 second'`);
 * `owner`/`owner_session_id` are copied from the state's metadata by every write.
 *
 * @example
 * ```ts
 * const sql = sessionStatements(parseTableName('sess_sessions'))
 * await pool.query({ text: sql.load, values: [key] })
 * ```
 */
export function sessionStatements(table: TableName) {
  const t = table.sql;
  const live = `"key" = $1 AND "expires_at" > now()`;
  return Object.freeze({
    load: `SELECT "state" FROM ${t} WHERE ${live}`,
    // A taken key (even an expired row's) refuses the insert; the store retries with a fresh key.
    save: `INSERT INTO ${t} ("key", "state", "expires_at", "owner", "owner_session_id")
VALUES ($1, $2, now() + $3::int * interval '1 second', $4, $5) ON CONFLICT ("key") DO NOTHING`,
    // Never recreates: no live row, no write (rowCount 0).
    update: `UPDATE ${t} SET "state" = $2, "expires_at" = now() + $3::int * interval '1 second', "owner" = $4, "owner_session_id" = $5
WHERE ${live}`,
    // The row-level lock of this UPDATE waits for a concurrent writer and then re-checks the
    // whole condition on the row it committed (READ COMMITTED), so of two requests that loaded the
    // same state exactly one writes. The SELECT sees the statement's snapshot: on a conflict it
    // gives the current state without a second round trip, unless the row changed after the
    // snapshot (then it still shows the expected text, and the store reads again). After a
    // write it sends nothing back (the CASE), so a write's reply stays a few bytes.
    compareAndUpdate: `WITH written AS (
  UPDATE ${t} SET "state" = $3, "expires_at" = now() + $4::int * interval '1 second', "owner" = $5, "owner_session_id" = $6
  WHERE ${live} AND "state" = $2
  RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM written) AS "updated",
  CASE WHEN EXISTS (SELECT 1 FROM written) THEN NULL ELSE (SELECT "state" FROM ${t} WHERE ${live}) END AS "current"`,
    updateTtl: `UPDATE ${t} SET "expires_at" = now() + $2::int * interval '1 second' WHERE ${live}`,
    // Reports whether a live row went: removing an expired one is "there was none".
    delete: `DELETE FROM ${t} WHERE "key" = $1 RETURNING "expires_at" > now() AS "live"`,
    listOwned: `SELECT "owner_session_id" AS "id", "state", floor(extract(epoch FROM "expires_at") * 1000)::float8 AS "expires_at_ms"
FROM ${t} WHERE "owner" = $1 AND "expires_at" > now()`,
    // The owner column is written with the state in the same row, so `owner = $1` is the check
    // that these ids are this owner's.
    deleteOwned: `DELETE FROM ${t} WHERE "owner" = $1 AND "owner_session_id" = ANY($2::text[]) AND "expires_at" > now()`,
    // One bounded batch, oldest first, by the expiry index; rows another cleanup (another app
    // server) holds are skipped, not waited for.
    cleanup: `DELETE FROM ${t} WHERE "key" IN (
  SELECT "key" FROM ${t} WHERE "expires_at" <= now() ORDER BY "expires_at" LIMIT $1 FOR UPDATE SKIP LOCKED
) AND "expires_at" <= now()`,
  });
}

/** The statements of one table (see {@link sessionStatements}). */
export type SessionStatements = ReturnType<typeof sessionStatements>;
