import type { TableName } from './table-name.js';

/**
 * The statements that create the session table and its indexes, idempotently (`IF NOT EXISTS`),
 * behind a transaction-scoped advisory lock so that two processes running it at once do not
 * race on the catalog. Run as one transaction: `createSchema()` sends it as one simple query
 * (PostgreSQL runs those as a single transaction), `psql --single-transaction -f` does the same.
 * `sql/schema.sql` is this text for the default table.
 *
 * - `key`: the session key (64 ASCII characters), compared bytewise (`COLLATE "C"`).
 * - `state`: `serializeState(state)`, the record format every @sess store writes, metadata included.
 * - `expires_at`: when the record expires; rows at or past it are never read and are deleted by the cleanup.
 * - `owner`, `owner_session_id`: copied from the state's metadata on every write, for `listOwned`/`deleteOwned`.
 *
 * @example
 * ```ts
 * console.log(schemaSql(parseTableName('sess_sessions'))) // review it, or run it in a migration
 * ```
 */
export function schemaSql(table: TableName): string {
  return `-- @sess/postgres: the session table (idempotent; run as one transaction: psql --single-transaction -f).
SELECT pg_advisory_xact_lock(hashtext('@sess/postgres schema'));
CREATE TABLE IF NOT EXISTS ${table.sql} (
  "key" text COLLATE "C" PRIMARY KEY,
  "state" text NOT NULL,
  "expires_at" timestamptz NOT NULL,
  "owner" text,
  "owner_session_id" text
);
-- The cleanup deletes expired rows in expiry order, a batch at a time.
CREATE INDEX IF NOT EXISTS "${table.name}_expires_at" ON ${table.sql} ("expires_at");
-- A user's sessions: only rows with an owner are indexed.
CREATE INDEX IF NOT EXISTS "${table.name}_owner" ON ${table.sql} ("owner", "owner_session_id") WHERE "owner" IS NOT NULL;
`;
}
