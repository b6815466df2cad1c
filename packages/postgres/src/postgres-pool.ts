/**
 * What the store needs of a node-postgres `Pool` (or anything shaped like one): `query` with a
 * query config object. Structural, so `@sess/postgres`'s types do not depend on `@types/pg`.
 *
 * @example
 * ```ts
 * import { Pool } from 'pg'
 * const pool: PostgresPool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 2000 })
 * ```
 */
export interface PostgresPool {
  /** Runs one statement on a pooled connection (node-postgres `pool.query(config)`). */
  query(config: PostgresQuery): Promise<PostgresResult>;
}

/** A statement as the store sends it: text, bound values, and node-postgres' client-side `query_timeout`. */
export interface PostgresQuery {
  /** The SQL text, with `$1`… placeholders. */
  readonly text: string;
  /** The bound values, in placeholder order. */
  readonly values?: unknown[];
  /** node-postgres fails the query (and discards its connection) after this many milliseconds. */
  readonly query_timeout?: number;
}

/** The parts of a node-postgres result the store reads. */
export interface PostgresResult {
  /** The rows returned, as objects keyed by column name. */
  readonly rows: Record<string, unknown>[];
  /** Rows inserted, updated or deleted; `null` for statements that report none. */
  readonly rowCount: number | null;
}
