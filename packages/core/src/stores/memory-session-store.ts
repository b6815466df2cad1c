import { LoadError, SaveError, SessionConfigError, UpdateError } from '../errors.js';
import type { SessionState } from '../json.js';
import { generateSessionKey, type SessionKey } from '../session-key.js';
import { sessionMetaOf } from '../session-meta.js';
import type { CompareAndUpdateResult, OwnedSessionRecord, SessionStore } from '../session-store.js';
import { deserializeState, serializeState } from '../state-format.js';
import { ExpiryQueue, type Expiring } from './expiry-queue.js';

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** Clock in milliseconds; inject one in tests to move time. Default `Date.now`. */
  now?: () => number;
  /**
   * Upper bound on stored sessions: a `save` into a full store first evicts the live session
   * closest to expiry (Redis' `volatile-ttl` policy), never the one being saved. A whole number
   * ≥ 1, or `Infinity`. Default: no bound other than expiry.
   */
  maxEntries?: number;
}

interface Entry extends Expiring {
  readonly key: SessionKey;
  record: string;
  /** Where the entry sits in the owner index, when its state has an owner. */
  owned?: { readonly owner: string; readonly id: string };
}

const OPTION_NAMES: ReadonlySet<string> = new Set(['now', 'maxEntries']);

/**
 * Sessions in the process's memory: for development, tests and single-process servers.
 * Sessions are lost on restart and not shared between processes.
 *
 * Behaves like the Redis store: TTLs are honoured, `update` of an expired or deleted session
 * returns `null`, and a purged or renewed session's old cookie loads nothing. States are kept
 * serialised, so a caller can never alias what is stored. Entries are also queued by expiry
 * (a heap, O(log n) per write): every write first drops the entries that have expired, so memory
 * stays bounded by the live sessions, and with `maxEntries` a full store evicts the session
 * closest to expiry. Every method completes synchronously inside its promise, so concurrent
 * requests cannot interleave within an operation.
 *
 * @example
 * ```ts
 * createSessionManager({ store: new MemorySessionStore({ maxEntries: 100_000 }), key: Key.generate() })
 * ```
 */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<SessionKey, Entry>();
  // The owner index: owner → listing id → session key. Pruned while listing.
  readonly #owners = new Map<string, Map<string, SessionKey>>();
  readonly #queue = new ExpiryQueue<Entry>();
  readonly #now: () => number;
  readonly #maxEntries: number;
  // Orders writes with the same expiry: the older one is evicted first.
  #writes = 0;

  /** Throws `SessionConfigError` naming the option when `options` holds an unknown or bad one. */
  constructor(options: MemorySessionStoreOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new SessionConfigError('options', 'MemorySessionStore expects an object such as { maxEntries: 10000 }');
    }
    for (const name of Object.keys(options)) {
      if (!OPTION_NAMES.has(name)) {
        throw new SessionConfigError(name, `is not an option of MemorySessionStore; expected one of ${[...OPTION_NAMES].join(', ')}`);
      }
    }
    const { now = Date.now, maxEntries = Number.POSITIVE_INFINITY } = options;
    if (typeof now !== 'function') {
      throw new SessionConfigError('now', `must be a function returning the time in milliseconds (got ${typeof now})`);
    }
    if (!(maxEntries === Number.POSITIVE_INFINITY || (Number.isSafeInteger(maxEntries) && maxEntries >= 1))) {
      throw new SessionConfigError('maxEntries', `must be a whole number ≥ 1, or Infinity for no bound (got ${String(maxEntries)})`);
    }
    this.#now = now;
    this.#maxEntries = maxEntries;
  }

  /** Number of sessions held, expired ones not yet evicted included. */
  get size(): number {
    return this.#entries.size;
  }

  /** Returns the live state under `key`, or `null` (an expired entry is evicted on the way). */
  async load(key: SessionKey): Promise<SessionState | null> {
    return this.#read(key);
  }

  /**
   * `load`, synchronously (see `SessionStore.loadSync`): the lifecycle reads the memory store
   * without a promise. Defers to `load` (returns `undefined`) when a subclass or a spy replaced it,
   * so their `load` is always the one called.
   */
  loadSync(key: SessionKey): SessionState | null | undefined {
    return this.load === MemorySessionStore.prototype.load ? this.#read(key) : undefined;
  }

  #read(key: SessionKey): SessionState | null {
    const entry = this.#live(key);
    if (entry === undefined) return null;
    try {
      return deserializeState(entry.record);
    } catch (error) {
      throw new LoadError('deserialization', undefined, { cause: error });
    }
  }

  /**
   * Stores `state` under a fresh key that no entry uses. When the store holds `maxEntries` live
   * sessions, the one closest to expiry is evicted first.
   */
  async save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    const expiresAt = this.#expiry(ttlSeconds, SaveError);
    const record = serialize(state, SaveError);
    this.#dropExpired();
    // Make room before writing, as Redis evicts before it runs a write: the session being saved
    // is never the one evicted, even when its TTL is the shortest.
    const closest = this.#queue.peek();
    if (closest !== undefined && this.#entries.size >= this.#maxEntries) this.#remove(closest);
    let key = generateSessionKey();
    // 381 random bits make a collision practically impossible; never overwrite one anyway.
    while (this.#entries.has(key)) key = generateSessionKey();
    const entry: Entry = { key, record, expiresAt, seq: this.#writes++, slot: -1 };
    this.#entries.set(key, entry);
    this.#queue.push(entry);
    this.#index(entry, state);
    return key;
  }

  /** Replaces a live entry's state and TTL; `null` if it expired or was deleted. */
  async update(key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    const expiresAt = this.#expiry(ttlSeconds, UpdateError);
    const record = serialize(state, UpdateError);
    const entry = this.#live(key);
    if (entry === undefined) return null;
    entry.record = record;
    this.#requeue(entry, expiresAt);
    this.#index(entry, state);
    return key;
  }

  /**
   * Replaces a live entry's state and TTL only if it still holds `expected` (compared as
   * records, i.e. `serializeState` texts); atomic, as every method here runs to completion
   * synchronously. When a subclass or a spy replaced `update`, it is that `update` that runs
   * (an override is never bypassed), last writer wins.
   */
  async compareAndUpdate(
    key: SessionKey,
    expected: SessionState,
    state: SessionState,
    ttlSeconds: number,
  ): Promise<CompareAndUpdateResult> {
    if (this.update !== MemorySessionStore.prototype.update) {
      const next = await this.update(key, state, ttlSeconds);
      return next === null ? { outcome: 'missing' } : { outcome: 'updated', sessionKey: next };
    }
    const expiresAt = this.#expiry(ttlSeconds, UpdateError);
    const record = serialize(state, UpdateError);
    const wanted = serialize(expected, UpdateError);
    const entry = this.#live(key);
    if (entry === undefined) return { outcome: 'missing' };
    if (entry.record !== wanted) return { outcome: 'conflict', current: deserializeState(entry.record) };
    entry.record = record;
    this.#requeue(entry, expiresAt);
    this.#index(entry, state);
    return { outcome: 'updated', sessionKey: key };
  }

  /** The live sessions of `ownerId` (owner index); members that expired or were deleted are pruned. */
  async listOwned(ownerId: string): Promise<OwnedSessionRecord[]> {
    const members = this.#owners.get(ownerId);
    if (members === undefined) return [];
    const listed: OwnedSessionRecord[] = [];
    for (const [id, key] of members) {
      const entry = this.#live(key);
      const meta = entry === undefined ? undefined : sessionMetaOf(deserializeState(entry.record));
      if (entry === undefined || meta?.owner !== ownerId || meta.id !== id) members.delete(id);
      else listed.push({ id, meta, expiresAt: entry.expiresAt });
    }
    if (members.size === 0) this.#owners.delete(ownerId);
    return listed;
  }

  /** Deletes the listed sessions of `ownerId` among `ids`; another owner's ids delete nothing. */
  async deleteOwned(ownerId: string, ids: readonly string[]): Promise<number> {
    const listed = new Set((await this.listOwned(ownerId)).map((row) => row.id));
    const members = this.#owners.get(ownerId);
    let deleted = 0;
    for (const id of ids) {
      const key = members?.get(id);
      if (key === undefined || !listed.has(id)) continue;
      const entry = this.#entries.get(key);
      if (entry !== undefined) this.#remove(entry);
      deleted += 1;
    }
    return deleted;
  }

  /** Sets a live entry's TTL; does nothing when there is none. */
  async updateTtl(key: SessionKey, ttlSeconds: number): Promise<void> {
    const expiresAt = this.#expiry(ttlSeconds, UpdateError);
    const entry = this.#live(key);
    if (entry !== undefined) this.#requeue(entry, expiresAt);
  }

  /** Removes the entry under `key`, if any; `true` when a live one was removed. */
  async delete(key: SessionKey): Promise<boolean> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    this.#remove(entry);
    return entry.expiresAt > this.#now();
  }

  /** Puts an owned state in its owner's index (the listing id points at its current key). */
  #index(entry: Entry, state: SessionState): void {
    const meta = sessionMetaOf(state);
    if (meta?.owner === undefined || meta.id === undefined) return;
    let members = this.#owners.get(meta.owner);
    if (members === undefined) this.#owners.set(meta.owner, (members = new Map()));
    members.set(meta.id, entry.key);
    entry.owned = { owner: meta.owner, id: meta.id };
  }

  /** Takes a removed entry out of the owner index, so the index stays bounded by the live sessions. */
  #unindex(entry: Entry): void {
    if (entry.owned === undefined) return;
    const members = this.#owners.get(entry.owned.owner);
    if (members?.get(entry.owned.id) !== entry.key) return;
    members.delete(entry.owned.id);
    if (members.size === 0) this.#owners.delete(entry.owned.owner);
  }

  #live(key: SessionKey): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#remove(entry);
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

  /** A write to a live entry: new expiry, and it now counts as the newest write of that expiry. */
  #requeue(entry: Entry, expiresAt: number): void {
    entry.expiresAt = expiresAt;
    entry.seq = this.#writes++;
    this.#queue.update(entry);
    this.#dropExpired();
  }

  /** Evicts every expired entry: they sit at the head of the queue, so this costs O(log n) each. */
  #dropExpired(): void {
    const now = this.#now();
    for (let head = this.#queue.peek(); head !== undefined && head.expiresAt <= now; head = this.#queue.peek()) {
      this.#remove(head);
    }
  }

  #remove(entry: Entry): void {
    this.#entries.delete(entry.key);
    this.#queue.remove(entry);
    this.#unindex(entry);
  }
}

function serialize(state: SessionState, Failure: typeof SaveError | typeof UpdateError): string {
  try {
    return serializeState(state);
  } catch (error) {
    throw new Failure('serialization', undefined, { cause: error });
  }
}
