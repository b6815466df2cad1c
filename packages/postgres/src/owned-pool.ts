import { Pool } from 'pg';
import type { PostgresPool } from './postgres-pool.js';

/** What the store needs of the pool it owns: queries, and an end. */
export interface OwnedPool extends PostgresPool {
  end(): Promise<void>;
}

/**
 * The pool a store creates from a connection string. Every wait is bounded by `timeoutMs`:
 * connecting (`connectionTimeoutMillis`), the reply (`query_timeout`, which also discards the
 * connection), and the statement on the server (`statement_timeout`, so a query abandoned by
 * the client does not keep running). Idle connections that the server drops (a restart) emit
 * `'error'` on the pool: reported to `onError`, never thrown at the process; the pool opens
 * fresh connections on the next query, so it recovers by itself.
 *
 * @example
 * ```ts
 * const pool = createOwnedPool('postgres://127.0.0.1/app', 10, 2000, console.error)
 * ```
 */
export function createOwnedPool(
  connectionString: string,
  maxConnections: number,
  timeoutMs: number,
  onError: ((error: Error) => void) | undefined,
): OwnedPool {
  const pool = new Pool({
    connectionString,
    max: maxConnections,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
    // The store's pool never keeps a process alive on its own (a CLI, a test runner).
    allowExitOnIdle: true,
  });
  pool.on('error', (error: Error) => {
    try {
      onError?.(error);
    } catch {
      // onError must not throw; if it does, the pool's 'error' event must still not crash the process.
    }
  });
  return pool as unknown as OwnedPool;
}
