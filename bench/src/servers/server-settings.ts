/**
 * Settings shared by every contender server. The secrets are fixed, benchmark-only values: the
 * peers need a password of at least 32 characters (iron-session, hono-sessions) or a signing
 * secret (express-session, cookie-session, koa-session); @sess generates a fresh `Key` per process.
 */
export const PEER_SECRET = 'bench-only-secret-do-not-use-0123456789abcdef';

/** Session lifetime everywhere it can be set: one day, @sess's default state TTL. */
export const SESSION_TTL_SECONDS = 86_400;

/** The session value every route reads or increments. */
export const COUNTER = 'counter';

/** Environment variable that carries the dedicated Redis server's URL to the servers. */
export const REDIS_URL_ENV = 'BENCH_REDIS_URL';

/**
 * The dedicated Redis server of this run, for the contenders that use Redis.
 *
 * @example
 * ```ts
 * new RedisSessionStore({ url: redisUrl() })
 * ```
 */
export function redisUrl(): string {
  const url = process.env[REDIS_URL_ENV];
  if (url === undefined || url === '') throw new Error(`${REDIS_URL_ENV} is not set: this contender needs Redis`);
  return url;
}

/** Environment variable that can point the PostgreSQL contenders at another server than the test one. */
export const DATABASE_URL_ENV = 'BENCH_DATABASE_URL';

/**
 * The PostgreSQL of the PostgreSQL contenders: `BENCH_DATABASE_URL`, default the machine's test
 * database (`pnpm test:setup` makes sure it answers). Each server process uses a table of its own.
 *
 * @example
 * ```ts
 * new PostgresSessionStore({ connectionString: databaseUrl() })
 * ```
 */
export function databaseUrl(): string {
  return process.env[DATABASE_URL_ENV] || 'postgres://postgres@127.0.0.1:5432/test';
}

/**
 * The counter stored by a peer library, 0 when absent (peers answer `undefined` or `null`).
 *
 * @example
 * ```ts
 * const n = counterOf(req.session.counter) + 1
 * ```
 */
export function counterOf(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/**
 * Thrown for a contender name a server script does not know.
 *
 * @example
 * ```ts
 * default: throw new UnknownContenderError('koa', name)
 * ```
 */
export class UnknownContenderError extends Error {
  constructor(framework: string, name: string) {
    super(`The ${framework} server has no contender named "${name}"`);
    this.name = 'UnknownContenderError';
  }
}
