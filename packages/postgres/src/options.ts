import { SessionConfigError } from '@sess/core';
import type { PostgresPool } from './postgres-pool.js';
import { DEFAULT_TABLE_NAME, parseTableName, type TableName } from './table-name.js';

/**
 * Default `queryTimeoutMs`: a session statement touches one row by primary key and answers in
 * about a millisecond, so two seconds absorbs a checkpoint, a vacuum or a failover while a
 * request during an outage still fails long before a proxy's or a user's patience runs out.
 *
 * @example
 * ```ts
 * new PostgresSessionStore({ connectionString, queryTimeoutMs: DEFAULT_QUERY_TIMEOUT_MS * 2 })
 * ```
 */
export const DEFAULT_QUERY_TIMEOUT_MS = 2000;

/**
 * Default `cleanupIntervalSeconds`: every 15 minutes, as connect-pg-simple's `pruneSessionInterval`.
 * Expired rows are never read in between (every statement checks `expires_at`); the cleanup
 * only reclaims their space.
 *
 * @example
 * ```ts
 * new PostgresSessionStore({ pool, cleanupIntervalSeconds: DEFAULT_CLEANUP_INTERVAL_SECONDS * 4 }) // hourly
 * ```
 */
export const DEFAULT_CLEANUP_INTERVAL_SECONDS = 900;

/**
 * Default `cleanupBatchSize`: rows one cleanup statement deletes at most. Small enough that a
 * batch holds its row locks and writes its WAL for milliseconds, not seconds.
 *
 * @example
 * ```ts
 * await store.cleanup({ batchSize: DEFAULT_CLEANUP_BATCH_SIZE })
 * ```
 */
export const DEFAULT_CLEANUP_BATCH_SIZE = 1000;

/**
 * Default `maxSaveAttempts`: with 64 random alphanumerics a key collision is practically
 * impossible, so `save` gives up after this many `ON CONFLICT DO NOTHING` refusals in a row.
 *
 * @example
 * ```ts
 * new PostgresSessionStore({ pool, maxSaveAttempts: DEFAULT_MAX_SAVE_ATTEMPTS })
 * ```
 */
export const DEFAULT_MAX_SAVE_ATTEMPTS = 3;

/**
 * Options of `PostgresSessionStore`. Give exactly one of `pool` and `connectionString`.
 *
 * @example
 * ```ts
 * new PostgresSessionStore({ pool, tableName: 'auth.sessions', cleanupIntervalSeconds: false })
 * ```
 */
export interface PostgresSessionStoreOptions {
  /**
   * Your node-postgres `Pool` (borrowed): the store runs its statements on it and never ends it.
   * Listen to its `'error'` event (Node.js ends the process on an `'error'` nobody listens to;
   * a PostgreSQL restart makes idle pooled connections emit one) and give it a
   * `connectionTimeoutMillis`, or a request waits for a connection until `queryTimeoutMs`.
   */
  pool?: PostgresPool;
  /**
   * `postgres://user:password@host:port/database` (owned): the store creates its own `pg.Pool`
   * (at most `maxConnections` connections), and ends it in `store.close()`.
   */
  connectionString?: string;
  /** `table` or `schema.table`. Default {@link DEFAULT_TABLE_NAME}. Create it with `createSchema()`. */
  tableName?: string;
  /**
   * Longest a store call waits for PostgreSQL, connection included, before it fails. Default
   * {@link DEFAULT_QUERY_TIMEOUT_MS}. With `connectionString` it is also the pool's
   * `connectionTimeoutMillis` and the server-side `statement_timeout`.
   */
  queryTimeoutMs?: number;
  /** Pool size, `connectionString` only. Default 10 (node-postgres' default). */
  maxConnections?: number;
  /**
   * Seconds between two runs of the expired-rows cleanup (an unref'd timer), or `false` to run
   * it yourself (`store.cleanup()` or the SQL in the README from cron). Default
   * {@link DEFAULT_CLEANUP_INTERVAL_SECONDS}.
   */
  cleanupIntervalSeconds?: number | false;
  /** Rows one cleanup statement deletes at most. Default {@link DEFAULT_CLEANUP_BATCH_SIZE}. */
  cleanupBatchSize?: number;
  /** How many fresh keys `save` tries when one is taken. Default {@link DEFAULT_MAX_SAVE_ATTEMPTS}. */
  maxSaveAttempts?: number;
  /**
   * Receives errors nobody awaits: a failed background cleanup, and (with `connectionString`)
   * the pool's idle-connection errors. Must not throw. Without it they are dropped.
   */
  onError?: (error: Error) => void;
}

/** Options after validation and defaults. */
export interface ResolvedPostgresOptions {
  readonly connection: { readonly pool: PostgresPool } | { readonly connectionString: string; readonly maxConnections: number };
  readonly table: TableName;
  readonly queryTimeoutMs: number;
  readonly cleanupIntervalMs: number | undefined;
  readonly cleanupBatchSize: number;
  readonly maxSaveAttempts: number;
  readonly onError: ((error: Error) => void) | undefined;
}

const OPTION_NAMES = new Set([
  'pool',
  'connectionString',
  'tableName',
  'queryTimeoutMs',
  'maxConnections',
  'cleanupIntervalSeconds',
  'cleanupBatchSize',
  'maxSaveAttempts',
  'onError',
]);
// setTimeout fires immediately for delays above 2^31 - 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Validates `options`, throwing `SessionConfigError` naming the first bad option.
 * Never mutates `options`; the result is frozen.
 *
 * @example
 * ```ts
 * resolvePostgresOptions({ connectionString: 'postgres://127.0.0.1/app' }).table.sql // '"sess_sessions"'
 * ```
 */
export function resolvePostgresOptions(options: PostgresSessionStoreOptions): ResolvedPostgresOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError('options', 'expected an object with a pool or a connectionString');
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new SessionConfigError(name, `is not an option; expected one of ${[...OPTION_NAMES].join(', ')}`);
  }
  const { pool, connectionString, onError, cleanupIntervalSeconds = DEFAULT_CLEANUP_INTERVAL_SECONDS } = options;
  let connection: ResolvedPostgresOptions['connection'];
  if (pool !== undefined && connectionString !== undefined) {
    throw new SessionConfigError('connectionString', 'give either a pool (that you end) or a connectionString (that the store owns), not both');
  }
  if (pool !== undefined) {
    if (typeof pool !== 'object' || pool === null || typeof pool.query !== 'function') {
      throw new SessionConfigError('pool', "must be a node-postgres Pool (new Pool() from 'pg')");
    }
    if (options.maxConnections !== undefined) {
      throw new SessionConfigError('maxConnections', 'applies only to a pool the store owns (connectionString); size your own Pool with max');
    }
    connection = Object.freeze({ pool });
  } else if (connectionString !== undefined) {
    if (typeof connectionString !== 'string' || !/^postgres(ql)?:\/\//.test(connectionString)) {
      throw new SessionConfigError('connectionString', 'must be a string such as postgres://user:password@127.0.0.1:5432/app');
    }
    connection = Object.freeze({ connectionString, maxConnections: whole(options.maxConnections, 10, 'maxConnections', 1, 1000) });
  } else {
    throw new SessionConfigError('pool', 'is required: give a node-postgres Pool, or a connectionString');
  }
  if (onError !== undefined && typeof onError !== 'function') throw new SessionConfigError('onError', 'must be a function');
  if (cleanupIntervalSeconds !== false && typeof cleanupIntervalSeconds !== 'number') {
    throw new SessionConfigError('cleanupIntervalSeconds', 'must be a number of seconds, or false to run the cleanup yourself');
  }
  return Object.freeze({
    connection,
    table: parseTableName(options.tableName ?? DEFAULT_TABLE_NAME),
    queryTimeoutMs: whole(options.queryTimeoutMs, DEFAULT_QUERY_TIMEOUT_MS, 'queryTimeoutMs', 1, MAX_TIMER_MS),
    cleanupIntervalMs:
      cleanupIntervalSeconds === false
        ? undefined
        : whole(cleanupIntervalSeconds, DEFAULT_CLEANUP_INTERVAL_SECONDS, 'cleanupIntervalSeconds', 1, Math.floor(MAX_TIMER_MS / 1000)) * 1000,
    cleanupBatchSize: whole(options.cleanupBatchSize, DEFAULT_CLEANUP_BATCH_SIZE, 'cleanupBatchSize', 1, 1_000_000),
    maxSaveAttempts: whole(options.maxSaveAttempts, DEFAULT_MAX_SAVE_ATTEMPTS, 'maxSaveAttempts', 1, 100),
    onError,
  });
}

function whole(value: unknown, fallback: number, option: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SessionConfigError(option, `must be a whole number from ${min} to ${max} (got ${String(value)})`);
  }
  return value;
}
