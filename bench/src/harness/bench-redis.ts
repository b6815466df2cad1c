import { startRedisServer, type RedisServer } from '@sess/test-harness';

/** The benchmark's slice of the repository's test ports (see `@sess/test-harness`'s port plan). */
export const BENCH_REDIS_PORTS = Object.freeze({ first: 7100, last: 7149 });

/**
 * Starts a private, non-persistent `redis-server` on the first free port of 7100–7149, so the
 * benchmark never touches the shared Redis and its command statistics count only the
 * contenders' commands.
 *
 * @example
 * ```ts
 * const redis = await startBenchRedis()
 * await redis.resetStats()
 * // … load a Redis contender …
 * const counts = await redis.commandCalls() // { get: 51234, set: 0, … }
 * await redis.stop()
 * ```
 */
export function startBenchRedis(): Promise<RedisServer> {
  return startRedisServer({ portRange: BENCH_REDIS_PORTS });
}
