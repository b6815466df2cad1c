/**
 * `@sess/redis`: a `SessionStore` for Redis, Redis Sentinel and Redis Cluster on the node-redis client,
 * compatible with actix-session's Redis store.
 *
 * @packageDocumentation
 */
export { RedisSessionStore } from './redis-session-store.js';
export type { RedisOwnerRevocations } from './owner-revocations.js';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_SAVE_ATTEMPTS,
  type RedisSentinelConfig,
  type RedisSessionStoreOptions,
} from './options.js';
export { COMMAND_QUEUE_MAX_LENGTH, RECONNECT_MAX_DELAY_MS } from './owned-connection.js';
export { RedisTimeoutError } from './deadline.js';
export type {
  RedisSessionClient,
  RedisSessionCommandOptions,
  RedisSessionCommands,
  RedisSetOptions,
} from './redis-client.js';
