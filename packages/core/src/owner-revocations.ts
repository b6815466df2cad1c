import { SessionConfigError } from './errors.js';

/**
 * A revocation of an owner's sessions: every session of the owner created at or before `before`
 * (epoch seconds) is revoked, except the one whose listing id is `except` (the device that asked).
 *
 * @example
 * ```ts
 * const revocation: OwnerRevocation = { before: 1764720000, except: 'Vt3…' }
 * ```
 */
export interface OwnerRevocation {
  readonly before: number;
  readonly except?: string;
}

/**
 * Where revocations of cookie-store sessions are kept. A cookie-store session lives in the cookie
 * alone, so revoking it needs a small server-side record per owner (an "owner stamp"), checked
 * when a cookie with an owner is loaded; cookies without an owner never touch it. `@sess/core`
 * ships {@link MemoryOwnerRevocations} (one process); `@sess/redis` ships a Redis one.
 *
 * @example
 * ```ts
 * class MyRevocations implements OwnerRevocationStore {
 *   async get(ownerId) { return rows.get(ownerId) ?? null }
 *   async set(ownerId, revocation) { rows.set(ownerId, revocation) }
 * }
 * ```
 */
export interface OwnerRevocationStore {
  /** The latest revocation of `ownerId`'s sessions, or `null`. A failure fails the request (an opaque 500). */
  get(ownerId: string): Promise<OwnerRevocation | null>;
  /**
   * Records a revocation, replacing an earlier one. `ttlSeconds` is how long it must be kept
   * (the longest a session it revokes could otherwise live), or `undefined` to keep it for good
   * (a cookie-store browser session has no server-side expiry).
   */
  set(ownerId: string, revocation: OwnerRevocation, ttlSeconds: number | undefined): Promise<void>;
}

/**
 * Owner revocations in the process's memory: for a single process, development and tests.
 *
 * @example
 * ```ts
 * sessionMiddleware({ store: new CookieSessionStore(), key, owners: { revocations: new MemoryOwnerRevocations() } })
 * ```
 */
export class MemoryOwnerRevocations implements OwnerRevocationStore {
  readonly #rows = new Map<string, { revocation: OwnerRevocation; expiresAt: number }>();
  readonly #now: () => number;

  /** `now` is the clock in milliseconds (inject one in tests). */
  constructor(options: { now?: () => number } = {}) {
    if (options.now !== undefined && typeof options.now !== 'function') throw new SessionConfigError('now', 'must be a function');
    this.#now = options.now ?? Date.now;
  }

  async get(ownerId: string): Promise<OwnerRevocation | null> {
    const row = this.#rows.get(ownerId);
    if (row === undefined) return null;
    if (row.expiresAt <= this.#now()) {
      this.#rows.delete(ownerId);
      return null;
    }
    return row.revocation;
  }

  async set(ownerId: string, revocation: OwnerRevocation, ttlSeconds: number | undefined): Promise<void> {
    const expiresAt = ttlSeconds === undefined ? Number.POSITIVE_INFINITY : this.#now() + ttlSeconds * 1000;
    this.#rows.set(ownerId, { revocation: Object.freeze({ ...revocation }), expiresAt });
  }
}
