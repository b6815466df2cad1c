import {
  deserializeState,
  generateSessionKey,
  LoadError,
  SaveError,
  serializeState,
  SessionError,
  UpdateError,
  type SessionKey,
  type SessionState,
  type SessionStore,
} from '@sess/core';

/** One stored session: its serialised state and when it expires, in epoch milliseconds. */
export interface SessionRow {
  record: string;
  expiresAt: number;
}

/** Options of {@link MapSessionStore}. */
export interface MapSessionStoreOptions {
  /** The table the rows live in; pass your own to look into it (the test does). Default: a new `Map`. */
  rows?: Map<SessionKey, SessionRow>;
  /** The clock, in epoch milliseconds; pass your own to move time in tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * A `SessionStore` whose rows live in a `Map`, standing in for your backend (a SQL table, a
 * key-value service). Every method runs to completion synchronously inside its promise, so each
 * one is atomic with respect to concurrent requests; with a real backend, get that from the
 * backend (one conditional statement, `SET … NX`), never from a read followed by a write.
 *
 * A `Map` cannot fail. A backend that can wraps each call in `try` and throws `LoadError('other')`,
 * `SaveError('other')`, `UpdateError('other')`, or a `SessionError` coded `STORE_UPDATE_TTL` /
 * `STORE_DELETE`, with the failure as `cause`: never `null` or `false`, since an outage must not
 * look like a logged-out user.
 *
 * Expired rows are removed when they are next touched; a real backend drops them itself (Redis
 * TTLs, a periodic `DELETE … WHERE expires_at <= now`). To keep sessions in memory in production,
 * use `MemorySessionStore`, which also evicts the expired rows nobody touches.
 *
 * @example
 * ```ts
 * createSessionManager({ store: new MapSessionStore(), key: Key.generate() })
 * ```
 */
export class MapSessionStore implements SessionStore {
  readonly #rows: Map<SessionKey, SessionRow>;
  readonly #now: () => number;

  constructor({ rows = new Map(), now = Date.now }: MapSessionStoreOptions = {}) {
    this.#rows = rows;
    this.#now = now;
  }

  async load(key: SessionKey): Promise<SessionState | null> {
    const row = this.#live(key);
    if (row === undefined) return null; // never saved, deleted or expired: not an error
    try {
      return deserializeState(row.record);
    } catch (cause) {
      // The record exists but is not a state: the lifecycle starts an empty session on this key.
      throw new LoadError('deserialization', 'Unreadable session record', { cause });
    }
  }

  async save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    const expiresAt = this.#expiry(ttlSeconds, (message) => new SaveError('other', message));
    const record = encode(state, (cause) => new SaveError('serialization', undefined, { cause }));
    let key = generateSessionKey(); // the store makes the key, never from the state
    while (this.#rows.has(key)) key = generateSessionKey(); // never overwrite a record
    this.#rows.set(key, { record, expiresAt }); // the record and its expiry in one write
    return key;
  }

  async update(key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    const expiresAt = this.#expiry(ttlSeconds, (message) => new UpdateError('other', message));
    const record = encode(state, (cause) => new UpdateError('serialization', undefined, { cause }));
    // Only if the record still exists: a session logged out meanwhile must not come back.
    if (this.#live(key) === undefined) return null;
    this.#rows.set(key, { record, expiresAt });
    return key;
  }

  async updateTtl(key: SessionKey, ttlSeconds: number): Promise<void> {
    const expiresAt = this.#expiry(ttlSeconds, (message) => new SessionError('STORE_UPDATE_TTL', message));
    const row = this.#live(key);
    if (row !== undefined) row.expiresAt = expiresAt; // a missing record stays missing
  }

  async delete(key: SessionKey): Promise<boolean> {
    const existed = this.#live(key) !== undefined;
    this.#rows.delete(key);
    // `false` (logged out, renewed or expired meanwhile) stops renew() from recreating the session.
    return existed;
  }

  #live(key: SessionKey): SessionRow | undefined {
    const row = this.#rows.get(key);
    if (row !== undefined && row.expiresAt <= this.#now()) {
      this.#rows.delete(key);
      return undefined;
    }
    return row;
  }

  #expiry(ttlSeconds: number, fail: (message: string) => Error): number {
    // A TTL of 0 or less would write a record that is already expired (or, in Redis, delete it).
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
      throw fail(`ttlSeconds must be a whole number ≥ 1 (got ${ttlSeconds})`);
    }
    return this.#now() + ttlSeconds * 1000;
  }
}

/** `serializeState`, whose TypeError (a bigint, a cycle, `undefined`, NaN…) becomes the store's error. */
function encode(state: SessionState, fail: (cause: unknown) => Error): string {
  try {
    return serializeState(state);
  } catch (cause) {
    throw fail(cause);
  }
}
