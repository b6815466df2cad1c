import { LoadError, SaveError, UpdateError } from '../errors.js';
import type { SessionState } from '../json.js';
import { generateSessionKey, type SessionKey } from '../session-key.js';
import type { SessionStore } from '../session-store.js';
import { deserializeState, serializeState } from '../state-format.js';

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** Clock in milliseconds; inject one in tests to move time. Default `Date.now`. */
  now?: () => number;
  /**
   * Upper bound on stored sessions; past it, the session closest to expiry is evicted.
   * Default: no bound other than expiry.
   */
  maxEntries?: number;
}

interface Entry {
  readonly record: string;
  expiresAt: number;
}

// Below this many entries a full sweep is not worth scheduling.
const FULL_SWEEP_FLOOR = 1024;

/**
 * Sessions in the process's memory: for development, tests and single-process servers.
 * Sessions are lost on restart and not shared between processes.
 *
 * Behaves like the Redis store: TTLs are honoured, `update` of an expired or deleted session
 * returns `null`, and a purged or renewed session's old cookie loads nothing. States are kept
 * serialised, so a caller can never alias what is stored. Expired entries are evicted as the
 * store is written to (oldest first, plus an amortised full sweep), so memory stays bounded by
 * the live sessions. Every method completes synchronously inside its promise, so concurrent
 * requests cannot interleave within an operation.
 *
 * @example
 * ```ts
 * createSessionManager({ store: new MemorySessionStore(), key: Key.generate() })
 * ```
 */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<SessionKey, Entry>();
  readonly #now: () => number;
  readonly #maxEntries: number;
  #nextFullSweep = FULL_SWEEP_FLOOR;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    const max = options.maxEntries ?? Number.POSITIVE_INFINITY;
    if (!(max === Number.POSITIVE_INFINITY || (Number.isSafeInteger(max) && max >= 1))) {
      throw new TypeError(`MemorySessionStore: maxEntries must be a whole number ≥ 1 (got ${String(max)})`);
    }
    this.#maxEntries = max;
  }

  /** Number of sessions held, expired ones not yet evicted included. */
  get size(): number {
    return this.#entries.size;
  }

  /** Returns the live state under `key`, or `null` (an expired entry is evicted on the way). */
  async load(key: SessionKey): Promise<SessionState | null> {
    const entry = this.#live(key);
    if (entry === undefined) return null;
    try {
      return deserializeState(entry.record);
    } catch (error) {
      throw new LoadError('deserialization', undefined, { cause: error });
    }
  }

  /** Stores `state` under a fresh key that no live entry uses. */
  async save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    const expiresAt = this.#expiry(ttlSeconds, SaveError);
    const record = serialize(state, SaveError);
    let key = generateSessionKey();
    // 381 random bits make a collision practically impossible; never overwrite one anyway.
    while (this.#entries.has(key)) key = generateSessionKey();
    this.#insert(key, { record, expiresAt });
    return key;
  }

  /** Replaces a live entry's state and TTL; `null` if it expired or was deleted. */
  async update(key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    const expiresAt = this.#expiry(ttlSeconds, UpdateError);
    const record = serialize(state, UpdateError);
    if (this.#live(key) === undefined) return null;
    this.#entries.delete(key);
    this.#insert(key, { record, expiresAt });
    return key;
  }

  /** Extends a live entry's TTL; does nothing when there is none. */
  async updateTtl(key: SessionKey, ttlSeconds: number): Promise<void> {
    const expiresAt = this.#expiry(ttlSeconds, UpdateError);
    const entry = this.#live(key);
    if (entry === undefined) return;
    entry.expiresAt = expiresAt;
    // Re-insert so that iteration order stays close to expiry order for the head sweep.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  /** Removes the entry under `key`, if any; `true` when a live one was removed. */
  async delete(key: SessionKey): Promise<boolean> {
    const live = this.#live(key) !== undefined;
    this.#entries.delete(key);
    return live;
  }

  #live(key: SessionKey): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #expiry(ttlSeconds: number, Failure: typeof SaveError | typeof UpdateError): number {
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
      throw new Failure('other', `ttlSeconds must be a whole number ≥ 1 (got ${String(ttlSeconds)})`);
    }
    return this.#now() + ttlSeconds * 1000;
  }

  #insert(key: SessionKey, entry: Entry): void {
    this.#entries.set(key, entry);
    this.#evict();
  }

  #evict(): void {
    const now = this.#now();
    // Entries are kept in order of their last write, which is expiry order when every session
    // has the same TTL: expired ones collect at the head.
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now && this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(key);
    }
    // Mixed TTLs can hide expired entries behind a live head; a full sweep whenever the map has
    // doubled since the last one bounds memory to about twice the live sessions, amortised O(1).
    if (this.#entries.size >= this.#nextFullSweep) {
      for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
      this.#nextFullSweep = Math.max(FULL_SWEEP_FLOOR, this.#entries.size * 2);
    }
  }
}

function serialize(state: SessionState, Failure: typeof SaveError | typeof UpdateError): string {
  try {
    return serializeState(state);
  } catch (error) {
    throw new Failure('serialization', undefined, { cause: error });
  }
}
