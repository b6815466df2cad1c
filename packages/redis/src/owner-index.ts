import { deserializeState, sessionMetaOf, type OwnedSessionRecord, type SessionKey, type SessionMeta } from '@sess/core';
import { LuaScript } from './lua-script.js';
import type { RedisSessionCommands } from './redis-client.js';

/** Runs one Redis command within the store's deadline (`RedisSessionStore`'s own runner). */
export type RunCommand = <T>(name: string, command: (redis: RedisSessionCommands) => Promise<T>) => Promise<T>;

/**
 * Adds a member to an owner's index and makes sure the index outlives it: one key, so atomic and
 * cluster-safe. KEYS[1] the index (a hash: listing id → session key); ARGV[1] the listing id,
 * ARGV[2] the session key, ARGV[3] the TTL in seconds just given to that session's record. The
 * index's TTL only grows here (to the longest member's); listing shrinks it again.
 */
const REMEMBER = new LuaScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('TTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return 1
`);

/**
 * The owner index of `RedisSessionStore`: one Redis hash per owner (`<keyPrefix>sess:owner:<id>`)
 * mapping each listing id to its session key. Every command touches one key, so it runs on a
 * Cluster (the index and the records live in different slots; nothing is atomic across them, so
 * the index is written before the record it points at, and pruned of members whose record is
 * gone, lazily, while listing). The index's TTL is never shorter than its longest member's and is
 * brought back to it when listing.
 *
 * @example
 * ```ts
 * const index = new RedisOwnerIndex(run, 'app:', (key) => 'app:' + key)
 * await index.remember(meta, sessionKey, 86_400)
 * ```
 */
export class RedisOwnerIndex {
  constructor(
    private readonly run: RunCommand,
    private readonly keyPrefix: string,
    private readonly recordKey: (sessionKey: SessionKey) => string,
  ) {}

  /** Points the owner's index at `sessionKey` for the session with metadata `meta` (no-op without an owner). */
  async remember(meta: SessionMeta | undefined, sessionKey: SessionKey, ttlSeconds: number): Promise<void> {
    if (meta?.owner === undefined || meta.id === undefined) return;
    const index = this.#indexKey(meta.owner);
    await this.run('EVALSHA (owner index)', (redis) => REMEMBER.run(redis, index, [meta.id as string, sessionKey, String(ttlSeconds)]));
  }

  /** The owner's live sessions; members whose record is gone or no longer theirs are pruned. */
  async list(ownerId: string): Promise<OwnedSessionRecord[]> {
    const index = this.#indexKey(ownerId);
    const members = pairs(await this.run('HGETALL', (redis) => redis.hGetAll(index)));
    const rows = await Promise.all(members.map(async ([id, sessionKey]) => this.#member(ownerId, id, sessionKey)));
    const listed = rows.filter((row): row is OwnedSessionRecord => row !== undefined);
    const dead = members.filter((_, i) => rows[i] === undefined).map(([id]) => id);
    if (dead.length > 0) await this.run('HDEL', (redis) => redis.hDel(index, dead));
    if (listed.length > 0) {
      // Back to the longest member's TTL: members that kept it longer are gone.
      const longest = Math.max(...listed.map((row) => row.expiresAt)) - Date.now();
      await this.run('PEXPIRE', (redis) => redis.pExpire(index, Math.max(1, Math.ceil(longest))));
    }
    return listed;
  }

  /** Deletes the owner's sessions among `ids` (only theirs: each record is checked first). */
  async delete(ownerId: string, ids: readonly string[]): Promise<number> {
    const index = this.#indexKey(ownerId);
    const keys = await this.run('HMGET', (redis) => redis.hmGet(index, [...ids]));
    const found = (Array.isArray(keys) ? keys : []).map(text);
    let deleted = 0;
    await Promise.all(
      ids.map(async (id, i) => {
        const sessionKey = found[i];
        if (sessionKey === undefined || (await this.#member(ownerId, id, sessionKey)) === undefined) return;
        const redisKey = this.recordKey(sessionKey);
        deleted += Number(await this.run('DEL', (redis) => redis.del(redisKey))) > 0 ? 1 : 0;
      }),
    );
    await this.run('HDEL', (redis) => redis.hDel(index, [...ids]));
    return deleted;
  }

  /** The listing row of a member, or `undefined` when its record is gone or belongs to someone else. */
  async #member(ownerId: string, id: string, sessionKey: SessionKey): Promise<OwnedSessionRecord | undefined> {
    const redisKey = this.recordKey(sessionKey);
    const [record, pttl] = await Promise.all([
      this.run('GET', (redis) => redis.get(redisKey)),
      this.run('PTTL', (redis) => redis.pTTL(redisKey)),
    ]);
    const value = text(record);
    if (value === undefined || Number(pttl) < 0) return undefined;
    let meta: SessionMeta | undefined;
    try {
      meta = sessionMetaOf(deserializeState(value));
    } catch {
      return undefined;
    }
    if (meta?.owner !== ownerId || meta.id !== id) return undefined;
    return { id, meta, expiresAt: Date.now() + Number(pttl) };
  }

  #indexKey(ownerId: string): string {
    return `${this.keyPrefix}sess:owner:${ownerId}`;
  }
}

/** A reply as text (bulk strings come back as bytes), `undefined` for nil. */
function text(reply: unknown): string | undefined {
  if (reply === null || reply === undefined) return undefined;
  if (typeof reply === 'string') return reply;
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply);
  return String(reply);
}

/** The field/value pairs of an `HGETALL` reply, whatever shape the client mapped it to. */
function pairs(reply: unknown): [string, string][] {
  const entries: [unknown, unknown][] =
    reply instanceof Map ? [...reply.entries()] : Array.isArray(reply) ? chunk(reply) : Object.entries((reply ?? {}) as object);
  return entries.map(([field, value]) => [text(field) ?? '', text(value) ?? '']);
}

function chunk(flat: unknown[]): [unknown, unknown][] {
  return Array.from({ length: flat.length >> 1 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
}
