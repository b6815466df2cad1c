import { SessionConfigError } from '@sess/core';
import type { RedisSentinelOptions } from 'redis';
import type { RedisSessionClient } from './redis-client.js';

/**
 * Default `commandTimeoutMs`: Redis answers in well under a millisecond on a healthy network, so
 * two seconds absorbs GC pauses, a fork for `BGSAVE` or a replica promotion, while a request
 * during an outage still fails long before a proxy's or a user's patience runs out.
 *
 * @example
 * ```ts
 * new RedisSessionStore({ url, commandTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS * 2 }) // a slow link
 * ```
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2000;

/**
 * Default `connectTimeoutMs` (one TCP/TLS connection attempt, for a store that owns its client):
 * a TLS handshake to a managed Redis across regions fits in it, and a black-holed address is
 * given up and retried instead of hanging. Requests never wait on it longer than `commandTimeoutMs`.
 *
 * @example
 * ```ts
 * createClient({ url, socket: { connectTimeout: DEFAULT_CONNECT_TIMEOUT_MS } }) // the same for your own client
 * ```
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/**
 * Default `maxSaveAttempts`: with 64 random alphanumerics a collision is practically impossible,
 * so a second refusal in a row means a broken `cacheKeygen`, not bad luck.
 *
 * @example
 * ```ts
 * new RedisSessionStore({ url, maxSaveAttempts: DEFAULT_MAX_SAVE_ATTEMPTS })
 * ```
 */
export const DEFAULT_MAX_SAVE_ATTEMPTS = 3;

/**
 * Where a store that owns its connection finds the primary through Redis Sentinel: the store
 * creates a node-redis sentinel client (`createSentinel`) that asks the sentinels for the
 * primary, follows it through failovers, and sends every command to it (never to a replica).
 *
 * @example
 * ```ts
 * new RedisSessionStore({ sentinel: { name: 'sessions', sentinels: [{ host: 'sentinel-1', port: 26379 }] } })
 * ```
 */
export interface RedisSentinelConfig {
  /** The name the sentinels monitor the primary under (`sentinel monitor <name> …`). */
  name: string;
  /** Some of the sentinels (two or three are plenty): the store learns the others from them. */
  sentinels: readonly { host: string; port: number }[];
  /**
   * node-redis client options for the connections to the primary: an ACL user (`username`,
   * `password`), TLS (`socket: { tls: true, ca }`). The store sets its own `connectTimeout` and
   * reconnect strategy unless given here.
   */
  nodeClientOptions?: RedisSentinelOptions['nodeClientOptions'];
  /** The same for the connections to the sentinels (they may have their own ACL user and TLS). */
  sentinelClientOptions?: RedisSentinelOptions['sentinelClientOptions'];
}

/**
 * Options of `RedisSessionStore`. Give exactly one of `client`, `url` and `sentinel`.
 *
 * The Redis key of a session is `keyPrefix + cacheKeygen(sessionKey)`: with neither option it is
 * the session key itself, as in actix-session, so both can share records.
 *
 * @example
 * ```ts
 * new RedisSessionStore({ url: 'redis://127.0.0.1:6379', keyPrefix: 'session:' })
 * ```
 */
export interface RedisSessionStoreOptions {
  /**
   * A node-redis client, cluster or sentinel client that **you** connect (`await
   * client.connect()` before the first request) and close (after the store is no longer used).
   * Attach your own `'error'` listener to it: Node.js ends the process on an `'error'` event
   * nobody listens to. Your reconnect strategy and offline queue apply; a store command still
   * queued unsent when its call times out is dropped from the queue. A sentinel client must keep
   * `replicaPoolSize` at 0 (its default): with replicas it would read sessions from them, and a
   * replica can miss a session written a moment ago (calls fail until it is fixed).
   */
  client?: RedisSessionClient;
  /**
   * `redis[s]://[[user][:password]@]host[:port][/db]`: the store creates its own client, connects
   * it on first use, reconnects it after outages and closes it in `store.close()`.
   */
  url?: string;
  /**
   * Redis Sentinel: the store creates its own node-redis sentinel client from this, connects it
   * on first use, follows the primary through failovers and closes it in `store.close()`.
   */
  sentinel?: RedisSentinelConfig;
  /** Maps a session key to its Redis key (before `keyPrefix`). Default: identity. Must be pure. */
  cacheKeygen?: (sessionKey: string) => string;
  /** Prepended to `cacheKeygen(sessionKey)`, e.g. `'session:'`. Default `''`. */
  keyPrefix?: string;
  /** One connection attempt's timeout, `url` and `sentinel` only. Default {@link DEFAULT_CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number;
  /**
   * Longest a store call waits for Redis (connecting included) before it fails.
   * Default {@link DEFAULT_COMMAND_TIMEOUT_MS}.
   */
  commandTimeoutMs?: number;
  /** How many fresh keys `save` tries when `SET NX` finds one taken. Default {@link DEFAULT_MAX_SAVE_ATTEMPTS}. */
  maxSaveAttempts?: number;
  /**
   * Receives the errors the store's own client reports (connection lost, reconnect failed, a
   * failover seen), `url` and `sentinel` only: log them here. Must not throw. Without it they are dropped, never thrown at the process.
   */
  onError?: (error: Error) => void;
}

/** Options after validation and defaults. */
export interface ResolvedRedisOptions {
  readonly connection:
    | { readonly client: RedisSessionClient }
    | { readonly url: string }
    | { readonly sentinel: RedisSentinelConfig };
  readonly cacheKeygen: ((sessionKey: string) => string) | undefined;
  readonly keyPrefix: string;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly maxSaveAttempts: number;
  readonly onError: ((error: Error) => void) | undefined;
}

const OPTION_NAMES = new Set([
  'client',
  'url',
  'sentinel',
  'cacheKeygen',
  'keyPrefix',
  'connectTimeoutMs',
  'commandTimeoutMs',
  'maxSaveAttempts',
  'onError',
]);
// setTimeout fires immediately for delays above 2^31 - 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Validates `options`, throwing {@link SessionConfigError} naming the first bad option.
 * Never mutates `options`; the result is frozen.
 */
export function resolveRedisOptions(options: RedisSessionStoreOptions): ResolvedRedisOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError('options', 'expected an object with a client, a url or a sentinel');
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      throw new SessionConfigError(name, `is not an option; expected one of ${[...OPTION_NAMES].join(', ')}`);
    }
  }
  const { client, url, sentinel } = options;
  const given = (['client', 'url', 'sentinel'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 1) {
    throw new SessionConfigError(
      given[1] as string,
      'give one of client (that you connect and close), url or sentinel (a connection the store owns), not several',
    );
  }
  let connection: ResolvedRedisOptions['connection'];
  if (client !== undefined) {
    if (typeof client !== 'object' || client === null || typeof client.withCommandOptions !== 'function') {
      throw new SessionConfigError('client', 'must be a node-redis client, cluster or sentinel (createClient() / createCluster() / createSentinel())');
    }
    // A cluster client with useReplicas sends GET to replicas, which can lag the primary.
    if ((client as { _options?: { useReplicas?: unknown } })._options?.useReplicas === true) {
      throw new SessionConfigError('client', 'a cluster client must keep useReplicas off: it would read sessions from replicas, which can lag the primary');
    }
    for (const name of ['connectTimeoutMs', 'onError'] as const) {
      if (options[name] !== undefined) {
        throw new SessionConfigError(
          name,
          name === 'onError'
            ? "applies only to a connection the store owns (url or sentinel); listen to your client's 'error' event instead"
            : 'applies only to a connection the store owns (url or sentinel); set socket.connectTimeout on your client instead',
        );
      }
    }
    connection = Object.freeze({ client });
  } else if (url !== undefined) {
    connection = Object.freeze({ url: checkUrl(url) });
  } else if (sentinel !== undefined) {
    connection = Object.freeze({ sentinel: checkSentinel(sentinel) });
  } else {
    throw new SessionConfigError('client', 'is required: give a node-redis client, cluster or sentinel, a url, or a sentinel configuration');
  }

  const { cacheKeygen, keyPrefix = '', onError } = options;
  if (cacheKeygen !== undefined && typeof cacheKeygen !== 'function') {
    throw new SessionConfigError('cacheKeygen', 'must be a function from session key to Redis key');
  }
  if (typeof keyPrefix !== 'string') throw new SessionConfigError('keyPrefix', 'must be a string');
  if (onError !== undefined && typeof onError !== 'function') throw new SessionConfigError('onError', 'must be a function');

  return Object.freeze({
    connection,
    cacheKeygen,
    keyPrefix,
    connectTimeoutMs: whole(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, 'connectTimeoutMs', 1, MAX_TIMER_MS),
    commandTimeoutMs: whole(options.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS, 'commandTimeoutMs', 1, MAX_TIMER_MS),
    maxSaveAttempts: whole(options.maxSaveAttempts, DEFAULT_MAX_SAVE_ATTEMPTS, 'maxSaveAttempts', 1, 100),
    onError,
  });
}

function checkUrl(url: unknown): string {
  if (typeof url !== 'string') throw new SessionConfigError('url', 'must be a string such as redis://127.0.0.1:6379');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SessionConfigError('url', 'is not a URL; expected redis[s]://[[user][:password]@]host[:port][/db]');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new SessionConfigError('url', `must use redis: or rediss:, not ${parsed.protocol}`);
  }
  if (!/^\/?(\d+)?$/.test(parsed.pathname)) {
    throw new SessionConfigError('url', `the path must be a database number such as /1 (got ${parsed.pathname})`);
  }
  return url;
}

function checkSentinel(sentinel: unknown): RedisSentinelConfig {
  const config = sentinel as Partial<RedisSentinelConfig> | null;
  if (typeof config !== 'object' || config === null) {
    throw new SessionConfigError('sentinel', 'must be an object such as { name: "sessions", sentinels: [{ host, port }] }');
  }
  if (typeof config.name !== 'string' || config.name === '') {
    throw new SessionConfigError('sentinel', 'name must be the name the sentinels monitor the primary under');
  }
  const nodes = config.sentinels;
  const valid = (node: unknown): boolean => {
    const { host, port } = (node ?? {}) as { host?: unknown; port?: unknown };
    return typeof host === 'string' && host !== '' && Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536;
  };
  if (!Array.isArray(nodes) || nodes.length === 0 || !nodes.every(valid)) {
    throw new SessionConfigError('sentinel', 'sentinels must be a non-empty array of { host, port }');
  }
  return Object.freeze({ ...config, sentinels: Object.freeze(nodes.map(({ host, port }) => Object.freeze({ host, port }))) }) as RedisSentinelConfig;
}

function whole(value: unknown, fallback: number, option: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SessionConfigError(option, `must be a whole number from ${min} to ${max} (got ${String(value)})`);
  }
  return value;
}
