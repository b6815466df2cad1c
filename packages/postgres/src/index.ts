/**
 * `@sess/postgres`: a PostgreSQL session store for `@sess/core`, on node-postgres (`pg`).
 *
 * @packageDocumentation
 */
export { PostgresSessionStore } from './postgres-session-store.js';
export {
  DEFAULT_CLEANUP_BATCH_SIZE,
  DEFAULT_CLEANUP_INTERVAL_SECONDS,
  DEFAULT_MAX_SAVE_ATTEMPTS,
  DEFAULT_QUERY_TIMEOUT_MS,
  type PostgresSessionStoreOptions,
} from './options.js';
export { CLEANUP_MAX_BATCHES } from './cleanup.js';
export { DEFAULT_TABLE_NAME } from './table-name.js';
export { PostgresTimeoutError } from './deadline.js';
export type { PostgresPool, PostgresQuery, PostgresResult } from './postgres-pool.js';
