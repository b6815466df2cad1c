/**
 * Redis did not answer in time. The command may still run on the server later: callers must
 * treat the outcome as unknown, which every store method documents. Found as the `cause` of the
 * store's `LoadError`/`SaveError`/`UpdateError`/`SessionError`.
 *
 * @example
 * ```ts
 * if (error.cause instanceof RedisTimeoutError) metrics.increment('session.redis.timeout')
 * ```
 */
export class RedisTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisTimeoutError';
  }
}

/**
 * Settles like `promise`, or rejects with {@link RedisTimeoutError} after `ms` milliseconds and
 * then calls `onExpire` (which must not throw), e.g. to replace a connection that went silent.
 *
 * node-redis' own `timeout` command option only covers a command still waiting to be written;
 * once written, a command to a frozen server or across a dead link waits for a reply forever.
 * This bound covers the whole wait, whoever created the client.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, message: () => string, onExpire?: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejected first, so this call fails with the timeout even if onExpire makes `promise`
      // reject too (a replaced connection rejects every command in flight).
      reject(new RedisTimeoutError(message()));
      onExpire?.();
    }, ms);
  });
  // Promise.race subscribes to `promise`, so its late rejection is never unhandled.
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
