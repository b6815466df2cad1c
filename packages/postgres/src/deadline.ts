/**
 * PostgreSQL did not answer in time (no connection, or no reply). The statement may still run on
 * the server later: callers must treat a write's outcome as unknown, which every store method
 * documents. Found as the `cause` of the store's `LoadError`/`SaveError`/`UpdateError`/`SessionError`.
 *
 * @example
 * ```ts
 * if (error.cause instanceof PostgresTimeoutError) metrics.increment('session.postgres.timeout')
 * ```
 */
export class PostgresTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresTimeoutError';
  }
}

/**
 * Settles like `promise`, or rejects with {@link PostgresTimeoutError} after `ms` milliseconds.
 * node-postgres' `query_timeout` only starts once a pooled connection was handed over; a pool
 * without `connectionTimeoutMillis` waits for a connection forever. This bounds the whole wait.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PostgresTimeoutError(message())), ms);
  });
  // Promise.race subscribes to `promise`, so its late rejection is never unhandled.
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
