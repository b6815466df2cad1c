import {
  deserializeState,
  generateSessionKey,
  LoadError,
  SaveError,
  SessionError,
  UpdateError,
  type CompareAndUpdateResult,
  type OwnedSessionRecord,
  type SessionKey,
  type SessionState,
  type SessionStore,
} from '@sess/core';
import { ExpiredRowsCleanup } from './cleanup.js';
import { withDeadline } from './deadline.js';
import { createOwnedPool, type OwnedPool } from './owned-pool.js';
import { resolvePostgresOptions, type PostgresSessionStoreOptions } from './options.js';
import type { PostgresPool, PostgresResult } from './postgres-pool.js';
import { encodeRecord, encodeRow, ownedRecords, storable } from './records.js';
import { schemaSql } from './schema.js';
import { sessionStatements, type SessionStatements } from './statements.js';

/**
 * Keeps session states in one PostgreSQL table, on node-postgres (`pg`). Each state is one row:
 * its session key, `serializeState(state)` (the record every @sess store writes, metadata
 * included), its expiry and its owner. Every method is one statement, so atomic on its own;
 * expiry is decided by the server's clock. The table is created by `createSchema()` (or the SQL
 * in the README), never at request time.
 *
 * Ownership: with `{ pool }` the store borrows your `Pool` and never ends it; with
 * `{ connectionString }` it creates its own and ends it in `close()`.
 *
 * Expired rows are never read; a cleanup deletes them in bounded batches every
 * `cleanupIntervalSeconds` (or run `cleanup()` / the README's SQL from cron yourself).
 *
 * Failures: no call waits longer than `queryTimeoutMs` for PostgreSQL (getting a connection
 * included). While it is down, calls fail with the store errors of `@sess/core` (the lifecycle
 * answers an opaque 500) and work again once it is back. A write that timed out may still reach
 * the server later; each method says what that means.
 *
 * @example
 * ```ts
 * const store = new PostgresSessionStore({ pool })
 * await store.createSchema() // once, e.g. in a migration
 * const manager = createSessionManager({ store, key })
 * ```
 */
export class PostgresSessionStore implements SessionStore {
  readonly #pool: PostgresPool;
  readonly #owned: OwnedPool | undefined;
  readonly #sql: SessionStatements;
  readonly #schema: string;
  readonly #timeoutMs: number;
  readonly #maxSaveAttempts: number;
  readonly #cleanup: ExpiredRowsCleanup;
  #closed = false;

  /**
   * Validates `options`, prepares the statements and starts the cleanup timer; never connects.
   * Throws `SessionConfigError` naming the first bad option.
   */
  constructor(options: PostgresSessionStoreOptions) {
    const config = resolvePostgresOptions(options);
    if ('pool' in config.connection) {
      this.#pool = config.connection.pool;
      this.#owned = undefined;
    } else {
      const { connectionString, maxConnections } = config.connection;
      this.#owned = createOwnedPool(connectionString, maxConnections, config.queryTimeoutMs, config.onError);
      this.#pool = this.#owned;
    }
    this.#sql = sessionStatements(config.table);
    this.#schema = schemaSql(config.table);
    this.#timeoutMs = config.queryTimeoutMs;
    this.#maxSaveAttempts = config.maxSaveAttempts;
    this.#cleanup = new ExpiredRowsCleanup(
      async (batchSize) => (await this.#run('cleanup', this.#sql.cleanup, [batchSize])).rowCount ?? 0,
      config.cleanupBatchSize,
      config.onError,
    );
    if (config.cleanupIntervalMs !== undefined) this.#cleanup.start(config.cleanupIntervalMs);
  }

  /**
   * Creates the table and its indexes if they do not exist (the SQL of `sql/schema.sql`, for this
   * store's table name). Idempotent, and safe for several processes at once. Call it from a
   * migration or at start-up; the store never creates anything on its own.
   *
   * @example
   * ```ts
   * await new PostgresSessionStore({ pool }).createSchema()
   * ```
   */
  async createSchema(): Promise<void> {
    await this.#run('createSchema', this.#schema, undefined);
  }

  /**
   * `SELECT state … WHERE key = $1 AND expires_at > now()`: the state, or `null` when there is no
   * live row. A row that is not a session state is `LoadError('deserialization')`; PostgreSQL
   * failing or timing out is `LoadError('other')`.
   */
  async load(key: SessionKey): Promise<SessionState | null> {
    if (!storable(key)) return null;
    let result: PostgresResult;
    try {
      result = await this.#run('load', this.#sql.load, [key]);
    } catch (error) {
      throw new LoadError('other', 'Could not read the session state from PostgreSQL', { cause: error });
    }
    const row = result.rows[0];
    if (row === undefined) return null;
    try {
      return deserializeState(String(row.state));
    } catch (error) {
      throw new LoadError('deserialization', 'The PostgreSQL row is not a session state', { cause: error });
    }
  }

  /**
   * `INSERT … ON CONFLICT (key) DO NOTHING` under a freshly generated key: the value, its expiry
   * and its owner are written together, and an existing row is never overwritten. A taken key
   * (practically impossible with 64 random characters) is retried with another, up to
   * `maxSaveAttempts` in all, then `SaveError`. After a timeout the row may still be written
   * later: its key is never handed out, and it expires.
   */
  async save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    checkTtl(ttlSeconds, (message) => new SaveError('other', message));
    const [record, owner, ownerSessionId] = encodeRow(state, (cause) => new SaveError('serialization', undefined, { cause }));
    for (let attempt = 1; attempt <= this.#maxSaveAttempts; attempt++) {
      const key = generateSessionKey();
      let result: PostgresResult;
      try {
        result = await this.#run('save', this.#sql.save, [key, record, ttlSeconds, owner, ownerSessionId]);
      } catch (error) {
        throw new SaveError('other', 'Could not write the session state to PostgreSQL', { cause: error });
      }
      if (result.rowCount === 1) return key;
    }
    throw new SaveError('other', `PostgreSQL already held a row under each of ${this.#maxSaveAttempts} freshly generated session keys`);
  }

  /**
   * `UPDATE … WHERE key = $1 AND expires_at > now()`: replaces the state, its expiry and its owner
   * and returns `key`; `null` when there is no live row (logged out, renewed or expired while the
   * request ran), which is never recreated. Last writer wins against a concurrent update (the
   * lifecycle uses `compareAndUpdate` instead). After a timeout the write may still happen later,
   * only to a row that still exists.
   */
  async update(key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    checkTtl(ttlSeconds, (message) => new UpdateError('other', message));
    const [record, owner, ownerSessionId] = encodeRow(state, (cause) => new UpdateError('serialization', undefined, { cause }));
    if (!storable(key)) return null;
    let result: PostgresResult;
    try {
      result = await this.#run('update', this.#sql.update, [key, record, ttlSeconds, owner, ownerSessionId]);
    } catch (error) {
      throw new UpdateError('other', 'Could not write the session state to PostgreSQL', { cause: error });
    }
    return result.rowCount === 1 ? key : null;
  }

  /**
   * Compare-and-update (see `SessionStore.compareAndUpdate`): one statement, an
   * `UPDATE … WHERE key = $1 AND state = <expected record> AND expires_at > now()` whose row lock
   * serialises concurrent writers, and a `SELECT` of the current state in the same statement, so
   * a conflict needs no second round trip. Only when the row changed between the statement's
   * snapshot and its lock (a race of a few microseconds) is the current state read again.
   */
  async compareAndUpdate(key: SessionKey, expected: SessionState, state: SessionState, ttlSeconds: number): Promise<CompareAndUpdateResult> {
    checkTtl(ttlSeconds, (message) => new UpdateError('other', message));
    const fail = (cause: unknown): Error => new UpdateError('serialization', undefined, { cause });
    const [record, owner, ownerSessionId] = encodeRow(state, fail);
    const wanted = encodeRecord(expected, fail);
    if (!storable(key)) return { outcome: 'missing' };
    try {
      const result = await this.#run('compareAndUpdate', this.#sql.compareAndUpdate, [key, wanted, record, ttlSeconds, owner, ownerSessionId]);
      const row = result.rows[0] ?? {};
      if (row.updated === true) return { outcome: 'updated', sessionKey: key };
      let current = row.current;
      // The snapshot predates the write that made the UPDATE skip: read the row as it is now.
      if (current === wanted) current = (await this.#run('load', this.#sql.load, [key])).rows[0]?.state;
      if (current === undefined || current === null) return { outcome: 'missing' };
      return { outcome: 'conflict', current: deserializeState(String(current)) };
    } catch (error) {
      throw new UpdateError('other', 'Could not write the session state to PostgreSQL', { cause: error });
    }
  }

  /**
   * The owner index (see `SessionStore.listOwned`): one `SELECT` of the owner's live rows by the
   * owner index; expired rows are not listed (the cleanup deletes them). Fails with a
   * `SessionError` of code `STORE_OWNERS`.
   */
  async listOwned(ownerId: string): Promise<OwnedSessionRecord[]> {
    try {
      return ownedRecords(ownerId, (await this.#run('listOwned', this.#sql.listOwned, [ownerId])).rows);
    } catch (error) {
      throw new SessionError('STORE_OWNERS', "Could not list the owner's sessions in PostgreSQL", { cause: error });
    }
  }

  /**
   * Deletes the owner's live sessions among `ids`, in one `DELETE … WHERE owner = $1 AND
   * owner_session_id = ANY($2)`: another owner's ids delete nothing. Returns how many it deleted.
   */
  async deleteOwned(ownerId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    try {
      return (await this.#run('deleteOwned', this.#sql.deleteOwned, [ownerId, [...ids]])).rowCount ?? 0;
    } catch (error) {
      throw new SessionError('STORE_OWNERS', "Could not delete the owner's sessions in PostgreSQL", { cause: error });
    }
  }

  /**
   * `UPDATE … SET expires_at` of a live row: a missing or expired row stays gone (the check and
   * the new expiry are one statement). Fails with a `SessionError` of code `STORE_UPDATE_TTL`.
   */
  async updateTtl(key: SessionKey, ttlSeconds: number): Promise<void> {
    const fail = (message: string, cause?: unknown): SessionError =>
      new SessionError('STORE_UPDATE_TTL', message, cause === undefined ? undefined : { cause });
    checkTtl(ttlSeconds, fail);
    if (!storable(key)) return;
    try {
      await this.#run('updateTtl', this.#sql.updateTtl, [key, ttlSeconds]);
    } catch (error) {
      throw fail('Could not extend the session state TTL in PostgreSQL', error);
    }
  }

  /**
   * `DELETE … WHERE key = $1 RETURNING expires_at > now()`: `true` when a live row was removed,
   * `false` when there was none (or only an expired one), in the same statement as the deletion.
   * Fails with a `SessionError` of code `STORE_DELETE`; after a timeout the row may or may not be gone.
   */
  async delete(key: SessionKey): Promise<boolean> {
    if (!storable(key)) return false;
    try {
      const result = await this.#run('delete', this.#sql.delete, [key]);
      return result.rows[0]?.live === true;
    } catch (error) {
      throw new SessionError('STORE_DELETE', 'Could not delete the session state from PostgreSQL', { cause: error });
    }
  }

  /**
   * Deletes expired rows now, in batches of `batchSize` (default `cleanupBatchSize`), at most
   * `CLEANUP_MAX_BATCHES` of them, and resolves to how many it deleted. What the timer runs;
   * call it from your own job with `cleanupIntervalSeconds: false`.
   *
   * @example
   * ```ts
   * const deleted = await store.cleanup()
   * ```
   */
  cleanup(batchSize?: number): Promise<number> {
    return this.#cleanup.run(batchSize);
  }

  /**
   * Stops the cleanup timer; later calls fail without contacting PostgreSQL. With
   * `{ connectionString }` it also ends the store's pool; your `{ pool }` is yours to end. Idempotent.
   */
  async close(): Promise<void> {
    this.#cleanup.stop();
    if (this.#closed) return;
    this.#closed = true;
    await this.#owned?.end();
  }

  /** Runs one statement within `queryTimeoutMs`, getting a connection included. */
  async #run(name: string, text: string, values: unknown[] | undefined): Promise<PostgresResult> {
    if (this.#closed) throw new Error('The PostgresSessionStore is closed');
    const query = this.#pool.query(values === undefined ? { text, query_timeout: this.#timeoutMs } : { text, values, query_timeout: this.#timeoutMs });
    return withDeadline(query, this.#timeoutMs, () => `PostgreSQL did not answer ${name} within ${this.#timeoutMs} ms`);
  }
}

/** A TTL must be whole seconds ≥ 1: an expiry at or before now would be a write of a dead row. */
function checkTtl(ttlSeconds: number, fail: (message: string) => Error): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 2 ** 31 - 1) {
    throw fail(`ttlSeconds must be a whole number of seconds from 1 to 2147483647 (got ${String(ttlSeconds)})`);
  }
}
