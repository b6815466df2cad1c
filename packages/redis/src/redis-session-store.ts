import {
  deserializeState,
  generateSessionKey,
  LoadError,
  SaveError,
  SessionConfigError,
  SessionError,
  sessionMetaOf,
  UpdateError,
  type CompareAndUpdateResult,
  type OwnedSessionRecord,
  type SessionKey,
  type SessionState,
  type SessionStore,
} from '@sess/core';
import { compareAndUpdateRecord } from './compare-and-update.js';
import { withDeadline } from './deadline.js';
import { resolveRedisOptions, type RedisSessionStoreOptions } from './options.js';
import { GivenClient } from './given-client.js';
import { OwnedConnection, type OwnedLink } from './owned-connection.js';
import { OwnedSentinel } from './owned-sentinel.js';
import { RedisOwnerIndex } from './owner-index.js';
import { RedisOwnerRevocations } from './owner-revocations.js';
import type { RedisSessionCommands } from './redis-client.js';
import { asText, checkTtl, describeReply, encode, isOk, isReadOnlyError } from './replies.js';

/**
 * Keeps session states in Redis or Redis Cluster, on the node-redis client: actix-session's
 * `RedisSessionStore`, with the same commands and record format, so both can share sessions.
 *
 * Each state is one string key (`keyPrefix + cacheKeygen(sessionKey)`, the session key itself by
 * default) holding `serializeState(state)`, written with its TTL in the same command: there is
 * never a session key without a TTL. Every command touches a single key, so a cluster routes
 * each one to the node that owns it.
 *
 * Ownership: with `{ client }` (a node-redis client, cluster or sentinel client) you connect and
 * close the client, and `close()` only stops this store; with `{ url }` or `{ sentinel }` the
 * store creates its client, connects it on first use, reconnects it after outages (and, with
 * `sentinel`, follows the primary through failovers) and closes it in `close()`. Sessions are
 * read from and written to the primary only, never a replica.
 *
 * Failures: no call waits longer than `commandTimeoutMs` for Redis (connecting included). While
 * Redis is down, calls fail with the store errors of `@sess/core` (the lifecycle answers an
 * opaque 500) and work again once it is back. With `{ url }`, a connection that goes silent (a
 * frozen server, a half-open link) is replaced, and calls fail at once until Redis answers again;
 * with `{ client }`, a command your client still holds unsent when its call times out is dropped
 * from its queue, never sent late. A write that timed out after it was sent may still reach Redis
 * later; each method says what that means.
 *
 * @example
 * ```ts
 * const store = new RedisSessionStore({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' })
 * const manager = createSessionManager({ store, key })
 * // at shutdown
 * await store.close()
 * ```
 */
export class RedisSessionStore implements SessionStore {
  /** The client the store created from `url` or `sentinel`; `undefined` with a client the caller passed in. */
  readonly #owned: OwnedLink | undefined;
  /** The client the caller passed in; `undefined` with `url` or `sentinel`. */
  readonly #given: GivenClient | undefined;
  readonly #keyPrefix: string;
  readonly #cacheKeygen: ((sessionKey: string) => string) | undefined;
  readonly #commandTimeoutMs: number;
  readonly #maxSaveAttempts: number;
  readonly #owners: RedisOwnerIndex;
  #closed = false;

  /**
   * Validates `options` and prepares the store; never connects (see the class description).
   * Throws `SessionConfigError` naming the first bad option.
   */
  constructor(options: RedisSessionStoreOptions) {
    const config = resolveRedisOptions(options);
    this.#keyPrefix = config.keyPrefix;
    this.#cacheKeygen = config.cacheKeygen;
    this.#commandTimeoutMs = config.commandTimeoutMs;
    this.#maxSaveAttempts = config.maxSaveAttempts;
    this.#owners = new RedisOwnerIndex((name, command) => this.#run(name, command), config.keyPrefix, (key) => this.#redisKey(key));
    if ('client' in config.connection) {
      this.#owned = undefined;
      this.#given = new GivenClient(config.connection.client, config.commandTimeoutMs);
    } else {
      this.#given = undefined;
      const { connection } = config;
      const option = 'url' in connection ? 'url' : 'sentinel';
      try {
        this.#owned = 'url' in connection ? new OwnedConnection(connection.url, config) : new OwnedSentinel(connection.sentinel, config);
      } catch (error) {
        throw new SessionConfigError(option, `node-redis rejected it: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /**
   * `GET`: the state under `key`, or `null` when Redis has none (never saved, deleted, expired).
   * A record that is not a session state (not UTF-8, not JSON, not an object, an unknown format
   * version) is `LoadError('deserialization')`: the reply is read as bytes and decoded strictly,
   * never with U+FFFD replacements. Redis failing or timing out is `LoadError('other')`.
   * Records in actix-session's current and ≤ 0.11 formats load.
   */
  async load(key: SessionKey): Promise<SessionState | null> {
    let reply: unknown;
    try {
      const redisKey = this.#redisKey(key);
      reply = await this.#run('GET', (redis) => redis.get(redisKey));
    } catch (error) {
      throw new LoadError('other', 'Could not read the session state from Redis', { cause: error });
    }
    if (reply === null || reply === undefined) return null;
    try {
      return deserializeState(asText(reply));
    } catch (error) {
      throw new LoadError('deserialization', 'The Redis record is not a session state', { cause: error });
    }
  }

  /**
   * `SET <new key> <state> NX EX <ttl>`: stores `state` under a freshly generated key and returns
   * that key. Atomic: the value and its TTL are written together, and `NX` never overwrites an
   * existing record. When `NX` finds the key taken (practically impossible with 64 random
   * characters, likely with a `cacheKeygen` that maps many keys to one), it tries another fresh
   * key, up to `maxSaveAttempts` in all, then fails with `SaveError`. If the command times out
   * the record may still be written later: its key is never handed out and it expires with its TTL.
   */
  async save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    checkTtl(ttlSeconds, (message) => new SaveError('other', message));
    const record = encode(state, (cause) => new SaveError('serialization', undefined, { cause }));
    for (let attempt = 1; attempt <= this.#maxSaveAttempts; attempt++) {
      const key = generateSessionKey();
      let reply: unknown;
      try {
        const redisKey = this.#redisKey(key);
        // Indexed first: a record with an owner is never live without its index entry.
        await this.#owners.remember(sessionMetaOf(state), key, ttlSeconds);
        reply = await this.#run('SET NX', (redis) =>
          redis.set(redisKey, record, { condition: 'NX', expiration: { type: 'EX', value: ttlSeconds } }),
        );
      } catch (error) {
        throw new SaveError('other', 'Could not write the session state to Redis', { cause: error });
      }
      if (isOk(reply)) return key;
      if (reply !== null) throw new SaveError('other', `Redis answered SET NX with ${describeReply(reply)}`);
    }
    throw new SaveError(
      'other',
      `Redis already held a record under each of ${this.#maxSaveAttempts} freshly generated session keys (SET NX refused them all); does cacheKeygen map different session keys to one Redis key?`,
    );
  }

  /**
   * `SET <key> <state> XX EX <ttl>`: replaces the state and resets its TTL, and returns `key`.
   * Atomic with respect to the record still existing: when it is gone (logged out, renewed or
   * expired while the request ran) Redis writes nothing and this returns `null`; it never
   * recreates it (unlike actix-session, which saves it again under a new key). Not atomic with the
   * earlier `load`: two concurrent requests on one session both write, the last one wins. If the
   * command times out, the state may still be written (only if the record still exists).
   */
  async update(key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    checkTtl(ttlSeconds, (message) => new UpdateError('other', message));
    const record = encode(state, (cause) => new UpdateError('serialization', undefined, { cause }));
    let reply: unknown;
    try {
      const redisKey = this.#redisKey(key);
      await this.#owners.remember(sessionMetaOf(state), key, ttlSeconds);
      reply = await this.#run('SET XX', (redis) =>
        redis.set(redisKey, record, { condition: 'XX', expiration: { type: 'EX', value: ttlSeconds } }),
      );
    } catch (error) {
      throw new UpdateError('other', 'Could not write the session state to Redis', { cause: error });
    }
    if (isOk(reply)) return key;
    if (reply === null) return null;
    throw new UpdateError('other', `Redis answered SET XX with ${describeReply(reply)}`);
  }

  /**
   * Compare-and-update (see `SessionStore.compareAndUpdate`): one single-key Lua script, run by
   * `EVALSHA` (`EVAL` when the server does not have it yet), that replaces the record and its
   * TTL only if it is still `serializeState(expected)`, byte for byte; the record format is the
   * same as `update`'s. On a conflict the reply carries the current record, so the lifecycle
   * needs no extra `GET` to replay on it. An uncontended write is thus two commands per request:
   * the `GET` of the load and this script.
   */
  async compareAndUpdate(
    key: SessionKey,
    expected: SessionState,
    state: SessionState,
    ttlSeconds: number,
  ): Promise<CompareAndUpdateResult> {
    checkTtl(ttlSeconds, (message) => new UpdateError('other', message));
    const record = encode(state, (cause) => new UpdateError('serialization', undefined, { cause }));
    const wanted = encode(expected, (cause) => new UpdateError('serialization', undefined, { cause }));
    try {
      const redisKey = this.#redisKey(key);
      await this.#owners.remember(sessionMetaOf(state), key, ttlSeconds);
      return await compareAndUpdateRecord((name, command) => this.#run(name, command), key, redisKey, wanted, record, ttlSeconds);
    } catch (error) {
      throw new UpdateError('other', 'Could not write the session state to Redis', { cause: error });
    }
  }

  /**
   * The owner index (see `SessionStore.listOwned`): `HGETALL` of the owner's hash, then `GET` and
   * `PTTL` of each member's record; members whose record is gone or no longer theirs are removed
   * (`HDEL`) and the index's TTL brought back to its longest member's (`PEXPIRE`).
   */
  async listOwned(ownerId: string): Promise<OwnedSessionRecord[]> {
    return this.#owners.list(ownerId);
  }

  /**
   * Owner revocations for cookie-store sessions (see `owners.revocations` in `@sess/core`), kept
   * in this store's Redis, under its key prefix, on its connection.
   */
  ownerRevocations(): RedisOwnerRevocations {
    return new RedisOwnerRevocations((name, command) => this.#run(name, command), this.#keyPrefix);
  }

  /** Deletes the owner's sessions among `ids` (`HMGET`, each record checked, `DEL`, `HDEL`). */
  async deleteOwned(ownerId: string, ids: readonly string[]): Promise<number> {
    return this.#owners.delete(ownerId, ids);
  }

  /**
   * `EXPIRE <key> <ttl>`: resets the record's TTL. A missing record stays missing (`EXPIRE`
   * never creates a key). Fails with a `SessionError` of code `STORE_UPDATE_TTL`.
   */
  async updateTtl(key: SessionKey, ttlSeconds: number): Promise<void> {
    const fail = (message: string, cause?: unknown): SessionError =>
      new SessionError('STORE_UPDATE_TTL', message, cause === undefined ? undefined : { cause });
    // EXPIRE with 0 or less would delete the record rather than extend it.
    checkTtl(ttlSeconds, fail);
    try {
      const redisKey = this.#redisKey(key);
      await this.#run('EXPIRE', (redis) => redis.expire(redisKey, ttlSeconds));
    } catch (error) {
      throw fail('Could not extend the session state TTL in Redis', error);
    }
  }

  /**
   * `DEL <key>`: removes the record; a missing one is fine. Resolves to `true` when Redis removed
   * a record and `false` when there was none (`DEL` counts what it removed, atomically), which
   * the lifecycle uses to drop a renewal of a session logged out meanwhile. Fails with a
   * `SessionError` of code `STORE_DELETE`; after a timeout the record may or may not be gone.
   */
  async delete(key: SessionKey): Promise<boolean> {
    let removed: unknown;
    try {
      const redisKey = this.#redisKey(key);
      removed = await this.#run('DEL', (redis) => redis.del(redisKey));
    } catch (error) {
      throw new SessionError('STORE_DELETE', 'Could not delete the session state from Redis', { cause: error });
    }
    return Number(removed) > 0;
  }

  /**
   * Stops the store: later calls fail without contacting Redis. With `{ url }` it also closes the
   * store's client (letting replies in flight arrive, for at most `commandTimeoutMs`); with
   * `{ client }` your client stays open and is yours to close. Idempotent.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#owned?.close(this.#commandTimeoutMs);
  }

  /** The Redis key of a session key: `keyPrefix + cacheKeygen(sessionKey)`. */
  #redisKey(sessionKey: SessionKey): string {
    if (typeof sessionKey !== 'string') throw new TypeError(`A session key must be a string, not ${typeof sessionKey}`);
    const mapped = this.#cacheKeygen === undefined ? sessionKey : this.#cacheKeygen(sessionKey);
    if (typeof mapped !== 'string') throw new TypeError(`cacheKeygen must return a string, not ${typeof mapped}`);
    return this.#keyPrefix + mapped;
  }

  /** Runs one command within `commandTimeoutMs`, connecting first if the store owns its client. */
  async #run<T>(name: string, command: (redis: RedisSessionCommands) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error('The RedisSessionStore is closed');
    let budget = this.#commandTimeoutMs;
    // The caller's client: it connects and queues as it was configured; no connection wait.
    if (this.#given !== undefined) {
      return withDeadline(command(this.#given.commands()), budget, () => `Redis did not answer ${name} within ${budget} ms`);
    }
    const owned = this.#owned as OwnedLink;
    // Connected (the usual case): no connection wait, no clock reads.
    if (!owned.isReady) {
      const started = performance.now();
      await owned.ready(budget);
      budget = Math.max(1, Math.floor(budget - (performance.now() - started)));
    }
    const commands = owned.commands;
    try {
      // No reply in time on a connection that is up: the owned connection replaces it, so later
      // calls fail at once instead of each waiting its whole deadline (owned-connection.ts).
      return await withDeadline(
        command(commands),
        budget,
        () => `Redis did not answer ${name} within ${this.#commandTimeoutMs} ms`,
        () => owned.unresponsive(commands, this.#commandTimeoutMs),
      );
    } catch (error) {
      // The node was demoted by a failover: leave it rather than fail every write until a restart.
      if (isReadOnlyError(error)) owned.demoted(commands, error);
      throw error;
    }
  }
}
