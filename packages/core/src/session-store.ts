import type { SessionState } from './json.js';
import type { SessionKey } from './session-key.js';
import type { SessionMeta } from './session-meta.js';

/**
 * Where session states live between requests. Implement it to keep sessions anywhere.
 *
 * The five core methods are required and return promises; TTLs are whole seconds (at least 1).
 * Optional methods add capabilities the lifecycle uses when a store has them (`loadSync`,
 * `compareAndUpdate`, the owner index `listOwned`/`deleteOwned`); the conformance suite of
 * `@sess/store-tests` checks each one a store offers.
 *
 * A state may carry metadata (timestamps of the idle and absolute timeouts, an owner: see
 * `sessionMetaOf`). `serializeState` writes it and `deserializeState` restores it, so a store that
 * keeps `serializeState`'s text keeps it; any other store must give it back from `load` too.
 * Throw {@link LoadError}, {@link SaveError} or {@link UpdateError} (from `@sess/core`) for
 * failures; any other exception is treated as the `'other'` kind. Run the conformance suite of
 * `@sess/store-tests` against an implementation to check it honours this contract.
 *
 * @example
 * ```ts
 * class MapStore implements SessionStore {
 *   #rows = new Map<string, string>()
 *   async load(key) { const row = this.#rows.get(key); return row === undefined ? null : deserializeState(row) }
 *   async save(state) { const key = generateSessionKey(); this.#rows.set(key, serializeState(state)); return key }
 *   // … update, updateTtl, delete
 * }
 * ```
 */
export interface SessionStore {
  /**
   * Returns the state stored under `key`, or `null` when there is none (never stored,
   * deleted, or expired). A single read; it has nothing to be atomic with.
   *
   * Throws `LoadError('deserialization')` when a record exists but cannot be decoded (the
   * lifecycle then starts an empty session on the same key), `LoadError('other')` when the
   * store cannot be reached (the request fails with a 500 before the handler runs).
   *
   * @example
   * ```ts
   * const state = await store.load(key) // null: nothing stored, the request starts empty
   * ```
   */
  load(key: SessionKey): Promise<SessionState | null>;

  /**
   * Optional: `load`, answered synchronously when the store can, for stores that keep their
   * records in the process (the memory store) or in the key itself (the cookie store). Returns
   * what `load` would resolve to (the state, or `null`) and throws what it would reject with; or
   * returns `undefined` to say "not now, call `load`" (a cache miss, or a subclass or spy that
   * replaced `load` and must be called through it). With it, a request whose cookie needs no
   * crypto work loads in the same tick, without a promise. Never do I/O here.
   *
   * @example
   * ```ts
   * loadSync(key) { const row = this.#rows.get(key); return row === undefined ? null : deserializeState(row) }
   * ```
   */
  loadSync?(key: SessionKey): SessionState | null | undefined;

  /**
   * Stores `state` under a new key that the store generates, expiring after `ttlSeconds`, and
   * returns that key. Must be atomic: the value and its TTL are written together, and a new key
   * never overwrites an existing record (generate again, or fail with `SaveError`).
   *
   * @example
   * ```ts
   * const key = await store.save({ user_id: 'ferris' }, 86_400) // Redis: SET <key> <state> NX EX 86400
   * ```
   */
  save(state: SessionState, ttlSeconds: number): Promise<SessionKey>;

  /**
   * Overwrites the state under `key` and resets its TTL to `ttlSeconds`, atomically with
   * respect to the record still existing: when the record is gone (logged out, renewed or
   * expired while the request ran) it must return `null` and must not recreate it. It may
   * return a different key than it was given (the cookie store does), which the lifecycle
   * then sends to the client.
   *
   * @example
   * ```ts
   * const next = await store.update(key, state, 86_400) // Redis: SET <key> <state> XX EX 86400
   * if (next === null) return // gone meanwhile: drop the changes, clear the cookie
   * ```
   */
  update(key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null>;

  /**
   * Resets the TTL of the record under `key` to `ttlSeconds`; a missing record is not an
   * error and is not recreated. Used by the `on-every-request` extension policy.
   *
   * Must be atomic with respect to the record still existing: the check that it is there and
   * the new expiry are one step (Redis `EXPIRE` is a single command), so a record deleted or
   * expired meanwhile (a logout in another tab) stays gone, and the state is never read or
   * rewritten. Nothing more: against a concurrent `update`, whichever runs last sets the TTL.
   *
   * @example
   * ```ts
   * await store.updateTtl(key, 86_400) // Redis: EXPIRE <key> 86400
   * ```
   */
  updateTtl(key: SessionKey, ttlSeconds: number): Promise<void>;

  /**
   * Deletes the record under `key`; a missing record is not an error. Resolves to `true` when it
   * removed a record and `false` when there was none (logged out, renewed or expired meanwhile),
   * as one atomic step with the deletion; a store that keeps nothing server-side (the cookie
   * store) resolves to nothing. On `renew()` the lifecycle moves the state to a new key only if
   * this did not report `false`, so a session logged out while a request ran is never recreated.
   *
   * @example
   * ```ts
   * const removed = await store.delete(key) // Redis: DEL <key>, true when the reply is 1
   * ```
   */
  delete(key: SessionKey): Promise<boolean | void>;

  /**
   * Optional: replaces the state under `sessionKey` only if it still equals `expected` (what the
   * request loaded; compare `serializeState(expected)` with the stored text, or the equivalent),
   * resetting the TTL to `ttlSeconds` atomically with the value. Reports `updated` (with the
   * key), `conflict` (another request wrote first: with the `current` state, metadata attached,
   * so the lifecycle can replay this request's writes on it without another read) or `missing`
   * (gone: logged out, renewed or expired; never recreate it). All in one atomic step: Redis runs
   * it as one single-key script, SQL as one conditional `UPDATE`. With it, concurrent requests of
   * one session never lose each other's writes; without it, the last writer wins.
   *
   * @example
   * ```ts
   * const result = await store.compareAndUpdate(key, loaded, next, 86_400)
   * if (result.outcome === 'conflict') replayOn(result.current)
   * ```
   */
  compareAndUpdate?(
    sessionKey: SessionKey,
    expected: SessionState,
    state: SessionState,
    ttlSeconds: number,
  ): Promise<CompareAndUpdateResult>;

  /**
   * Optional (with `deleteOwned`): the owner index. Lists the live sessions whose metadata names
   * `ownerId` as owner (see `session.setOwner`): their listing `id`, metadata and expiry. The
   * store keeps the index itself as `save`/`update`/`compareAndUpdate` write states with an
   * owner, and prunes members that expired or were deleted (lazily, e.g. while listing). Never
   * lists another owner's sessions; never returns a session key.
   *
   * @example
   * ```ts
   * const sessions = await store.listOwned('user-42') // [{ id: 'Vt3…', meta: { created, active, … }, expiresAt }]
   * ```
   */
  listOwned?(ownerId: string): Promise<OwnedSessionRecord[]>;

  /**
   * Optional (with `listOwned`): deletes the sessions of `ownerId` whose listing ids are in `ids`
   * and returns how many it deleted. Ids of another owner's sessions, or unknown ids, delete
   * nothing: the listing id is not a capability to act on someone else's session.
   *
   * @example
   * ```ts
   * await store.deleteOwned('user-42', ['Vt3…']) // 1
   * ```
   */
  deleteOwned?(ownerId: string, ids: readonly string[]): Promise<number>;
}

/**
 * What {@link SessionStore.compareAndUpdate} reports.
 *
 * @example
 * ```ts
 * const result: CompareAndUpdateResult = { outcome: 'updated', sessionKey: key }
 * ```
 */
export type CompareAndUpdateResult =
  | { readonly outcome: 'updated'; readonly sessionKey: SessionKey }
  | { readonly outcome: 'conflict'; readonly current: SessionState }
  | { readonly outcome: 'missing' };

/**
 * One session in an owner's listing, as {@link SessionStore.listOwned} returns it.
 *
 * @example
 * ```ts
 * const row: OwnedSessionRecord = { id: 'Vt3…', meta: { owner: 'user-42', created: 1764720000 }, expiresAt: 1764806400000 }
 * ```
 */
export interface OwnedSessionRecord {
  /** The session's listing id (its metadata's `id`): non-secret, never its session key. */
  readonly id: string;
  /** The session's metadata: owner, details, creation and last activity times. */
  readonly meta: SessionMeta;
  /** When the record expires, in epoch milliseconds. */
  readonly expiresAt: number;
}
