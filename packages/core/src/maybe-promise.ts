/**
 * A value, or a promise of it: what the lifecycle returns when it may or may not need I/O.
 * Awaiting it always works; code on the hot path checks `instanceof Promise` to skip a tick.
 *
 * @example
 * ```ts
 * const result: MaybePromise<string[]> = manager.commit(rs)
 * ```
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * `fn(value)` when `value` is ready, `value.then(fn)` when it is a promise: chains a step
 * without making a synchronous result asynchronous.
 *
 * @example
 * ```ts
 * return andThen(codec.open(value), (result) => result.ok ? result.plaintext : null)
 * ```
 */
export function andThen<T, U>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/**
 * Runs `fn` and returns its result; a synchronous throw becomes a rejected promise, so callers
 * of a `MaybePromise` API handle failures in one place (`.catch` / `await` in `try`).
 *
 * @example
 * ```ts
 * load: (header) => settled(() => loadSession(header))
 * ```
 */
export function settled<T>(fn: () => MaybePromise<T>): MaybePromise<T> {
  try {
    return fn();
  } catch (error) {
    return Promise.reject(error);
  }
}
