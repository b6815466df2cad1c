import type { SessionState } from './json.js';
import type { SessionKey } from './session-key.js';
import type { SessionStore } from './session-store.js';

/**
 * The synchronous `load` of a store that keeps its states in the process (the memory store) or in
 * the key itself (the cookie store). Internal to `@sess/core`, never exported from the package:
 * it lets the lifecycle read such stores without a promise, so a request whose cookie was opened
 * before is loaded in the same tick. It answers and throws exactly as `load` resolves and rejects.
 */
export const loadNow: unique symbol = Symbol('@sess/core loadNow');

/** A store with a synchronous twin of its `load` (see {@link loadNow}). */
export interface LoadsNow {
  [loadNow](key: SessionKey): SessionState | null;
}

/**
 * The synchronous load of `store`, when it has one: the returned function answers like `load`
 * (the state, or `null` when there is none), or `undefined` when `load` itself must be called
 * because something replaced the one the twin belongs to. A subclass or a wrapper that overrides
 * `load` (to log, to fail in a test, to add a cache tier), or a spy installed later, is always
 * called through its own `load`.
 *
 * @example
 * ```ts
 * const now = immediateLoad(store)?.(key)
 * const state = now === undefined ? await store.load(key) : now
 * ```
 */
export function immediateLoad(
  store: SessionStore,
): ((key: SessionKey) => SessionState | null | undefined) | undefined {
  let owner: object | null = store;
  while (owner !== null && !Object.hasOwn(owner, loadNow)) owner = Object.getPrototypeOf(owner) as object | null;
  if (owner === null) return undefined;
  const { load, [loadNow]: twin } = owner as SessionStore & LoadsNow;
  // Checked on every call, not once: a spy or wrapper put on the store later still wins.
  return (key) => (store.load === load ? twin.call(store, key) : undefined);
}
