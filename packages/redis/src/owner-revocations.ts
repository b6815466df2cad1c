import type { OwnerRevocation, OwnerRevocationStore } from '@sess/core';
import type { RunCommand } from './owner-index.js';
import { asText } from './replies.js';

/**
 * Owner revocations (see `OwnerRevocationStore` in `@sess/core`) kept in Redis, for sessions that
 * live in their cookie alone: one string key per owner (`<keyPrefix>sess:revoked:<id>`) holding
 * the latest revocation as JSON, written by one `SET` (with `EX` when it can expire). Obtained
 * from a `RedisSessionStore` with `store.ownerRevocations()`, sharing its connection.
 *
 * @example
 * ```ts
 * const redis = new RedisSessionStore({ url })
 * sessionMiddleware({ store: new CookieSessionStore(), key, owners: { revocations: redis.ownerRevocations() } })
 * ```
 */
export class RedisOwnerRevocations implements OwnerRevocationStore {
  constructor(
    private readonly run: RunCommand,
    private readonly keyPrefix: string,
  ) {}

  async get(ownerId: string): Promise<OwnerRevocation | null> {
    const key = this.#key(ownerId);
    const reply = await this.run('GET', (redis) => redis.get(key));
    if (reply === null || reply === undefined) return null;
    const parsed = JSON.parse(asText(reply)) as { before?: unknown; except?: unknown };
    if (typeof parsed.before !== 'number') throw new TypeError('An owner revocation record has no "before" time');
    return typeof parsed.except === 'string' ? { before: parsed.before, except: parsed.except } : { before: parsed.before };
  }

  async set(ownerId: string, revocation: OwnerRevocation, ttlSeconds: number | undefined): Promise<void> {
    const key = this.#key(ownerId);
    const value = JSON.stringify(revocation);
    await this.run('SET', (redis) =>
      ttlSeconds === undefined ? redis.set(key, value) : redis.set(key, value, { expiration: { type: 'EX', value: ttlSeconds } }),
    );
  }

  #key(ownerId: string): string {
    return `${this.keyPrefix}sess:revoked:${ownerId}`;
  }
}
