import { RESP_TYPES } from 'redis';

/**
 * The `SET` options the store sends: `NX`/`XX` with `EX`, so that a value and its TTL are
 * always written by one command (node-redis 6 spelling).
 *
 * @example
 * ```ts
 * await client.set(key, record, { condition: 'NX', expiration: { type: 'EX', value: 86400 } })
 * ```
 */
export interface RedisSetOptions {
  condition?: 'NX' | 'XX';
  expiration?: { type: 'EX'; value: number };
}

/**
 * The commands `RedisSessionStore` sends, all single-key (so they route on a Redis Cluster too):
 * `GET`/`SET`/`EXPIRE`/`DEL` for sessions, `EVALSHA`/`EVAL` for compare-and-update and the owner
 * index's upkeep, `HGETALL`/`HMGET`/`HDEL`/`PTTL`/`PEXPIRE` for the owner index. A node-redis
 * client and a node-redis cluster both have them.
 *
 * @example
 * ```ts
 * const commands: RedisSessionCommands = createClient()
 * ```
 */
export interface RedisSessionCommands {
  /** `GET key`: the value, or `null`. */
  get(key: string): Promise<unknown>;
  /** `SET key value [NX|XX] [EX seconds]`: `'OK'`, or `null` when the condition failed. */
  set(key: string, value: string, options?: RedisSetOptions): Promise<unknown>;
  /** `EXPIRE key seconds`. */
  expire(key: string, seconds: number): Promise<unknown>;
  /** `DEL key`. */
  del(key: string): Promise<unknown>;
  /** `EVALSHA sha1 1 key …arguments`. */
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** `EVAL script 1 key …arguments`: when the server does not have the script yet (NOSCRIPT). */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** `HGETALL key`. */
  hGetAll(key: string): Promise<unknown>;
  /** `HMGET key field…`. */
  hmGet(key: string, fields: string[]): Promise<unknown>;
  /** `HDEL key field…`. */
  hDel(key: string, fields: string[]): Promise<unknown>;
  /** `PTTL key`: milliseconds left, -1 without expiry, -2 when the key does not exist. */
  pTTL(key: string): Promise<unknown>;
  /** `PEXPIRE key milliseconds`. */
  pExpire(key: string, milliseconds: number): Promise<unknown>;
}

/**
 * The reply types the store asks every client for: bulk strings (what `GET` returns) as bytes,
 * whatever type mapping the client was created with. node-redis would otherwise decode them as
 * UTF-8 leniently, turning bytes that are not UTF-8 into U+FFFD; the store decodes them itself,
 * strictly, so that such a record is a deserialization error rather than a silently altered state.
 *
 * @example
 * ```ts
 * client.withCommandOptions({ timeout: 0, typeMapping: STORE_TYPE_MAPPING })
 * ```
 */
export const STORE_TYPE_MAPPING: { readonly [RESP_TYPES.BLOB_STRING]: BufferConstructor } = Object.freeze({
  [RESP_TYPES.BLOB_STRING]: Buffer,
});

/**
 * The per-command options the store applies to a client it is given.
 *
 * @example
 * ```ts
 * client.withCommandOptions({ timeout: 0, typeMapping: STORE_TYPE_MAPPING, abortSignal: AbortSignal.timeout(2000) })
 * ```
 */
export interface RedisSessionCommandOptions {
  /**
   * node-redis drops a command still waiting to be written after this many milliseconds; the
   * store sends `0` (no per-command timer) and bounds each call itself.
   */
  timeout: number;
  /** Bulk string replies as bytes ({@link STORE_TYPE_MAPPING}), whatever mapping the client has. */
  typeMapping: typeof STORE_TYPE_MAPPING;
  /**
   * When aborted, node-redis drops the command if it is still waiting to be written (in the
   * offline queue, say); the store aborts it once the call has timed out.
   */
  abortSignal?: AbortSignal;
}

/**
 * What `RedisSessionStore` needs from a client you pass in: a node-redis client
 * (`createClient()`) or cluster (`createCluster()`), version 6.3.1 or a later 6.x, that you
 * connect and close.
 *
 * @example
 * ```ts
 * const client = createClient({ url: process.env.REDIS_URL })
 * client.on('error', (err) => log.warn(err))
 * await client.connect()
 * const store = new RedisSessionStore({ client })
 * ```
 */
export interface RedisSessionClient {
  /** A view of the client whose commands carry `options` (node-redis' `withCommandOptions`). */
  withCommandOptions(options: RedisSessionCommandOptions): RedisSessionCommands;
}
