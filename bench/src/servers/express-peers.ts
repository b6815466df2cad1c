import { createRequire } from 'node:module';
import type { RequestHandler } from 'express';

// express-session, connect-redis (through express-session) and cookie-session each declare the
// global `Express.Request.session` with their own type, and so does @sess/express: one TypeScript
// program cannot hold both declarations. The peers are therefore loaded untyped, through
// `require`, and described here by the few options this benchmark passes them.
const require = createRequire(import.meta.url);

/** express-session's options used here (see its README). */
export interface ExpressSessionOptions {
  readonly secret: string;
  readonly resave: boolean;
  readonly saveUninitialized: boolean;
  readonly store?: object;
  readonly cookie?: {
    readonly secure?: boolean;
    readonly httpOnly?: boolean;
    readonly sameSite?: 'lax' | 'strict' | 'none';
    readonly maxAge?: number;
  };
}

/** cookie-session's options used here (see its README). */
export interface CookieSessionOptions {
  readonly name: string;
  readonly keys: readonly string[];
  readonly httpOnly?: boolean;
  readonly secure?: boolean;
  readonly sameSite?: 'lax' | 'strict' | 'none';
  readonly maxAge?: number;
}

/** connect-redis' options used here. */
export interface ConnectRedisOptions {
  /** A connected node-redis client. */
  readonly client: object;
  readonly prefix?: string;
  readonly ttl?: number;
}

/**
 * `require('express-session')`.
 *
 * @example
 * ```ts
 * app.use(expressSession({ secret, resave: false, saveUninitialized: false }))
 * ```
 */
export const expressSession = require('express-session') as (options: ExpressSessionOptions) => RequestHandler;

/**
 * `require('cookie-session')`.
 *
 * @example
 * ```ts
 * app.use(cookieSession({ name: 'session', keys: [secret] }))
 * ```
 */
export const cookieSession = require('cookie-session') as (options: CookieSessionOptions) => RequestHandler;

/**
 * connect-redis' `RedisStore` class.
 *
 * @example
 * ```ts
 * app.use(expressSession({ store: new ConnectRedisStore({ client }), secret, resave: false, saveUninitialized: false }))
 * ```
 */
export const ConnectRedisStore = (require('connect-redis') as { RedisStore: new (options: ConnectRedisOptions) => object })
  .RedisStore;

/**
 * The session object express-session and cookie-session put on `req.session`, as these routes use it.
 *
 * @example
 * ```ts
 * peerSession(req).counter = 1
 * ```
 */
export function peerSession(req: unknown): { counter?: unknown } {
  return (req as { session: { counter?: unknown } }).session;
}

/** connect-pg-simple's options used here. */
export interface ConnectPgSimpleOptions {
  /** A node-postgres pool. */
  readonly pool: object;
  readonly tableName?: string;
  readonly createTableIfMissing?: boolean;
  readonly ttl?: number;
}

/**
 * connect-pg-simple's store class, bound to express-session.
 *
 * @example
 * ```ts
 * app.use(expressSession({ store: new ConnectPgSimpleStore({ pool }), secret, resave: false, saveUninitialized: false }))
 * ```
 */
export const ConnectPgSimpleStore = (require('connect-pg-simple') as (session: unknown) => new (options: ConnectPgSimpleOptions) => object)(
  require('express-session'),
);
