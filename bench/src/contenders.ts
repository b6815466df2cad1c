/** The frameworks measured, each with its own bare baseline. */
export const FRAMEWORKS = ['express', 'koa', 'hono', 'fastify'] as const;
/** One of {@link FRAMEWORKS}. */
export type Framework = (typeof FRAMEWORKS)[number];

/**
 * What a contender is, for the ratios: the baseline, a middleware that does nothing (the least
 * any middleware costs), ours, or a peer library.
 */
export type ContenderKind = 'bare' | 'noop' | 'sess' | 'peer';

/** Where a contender keeps the session state. */
export type StateStore = 'none' | 'cookie' | 'memory' | 'redis' | 'postgres';

/** One server configuration of the benchmark; the server scripts build it from `name`. */
export interface Contender {
  readonly framework: Framework;
  /** The name passed to the framework's server script, unique within the framework. */
  readonly name: string;
  /** How the tables print it. */
  readonly label: string;
  readonly kind: ContenderKind;
  readonly store: StateStore;
}

/**
 * Every contender, per framework: the bare framework, a no-op middleware of the framework's own
 * shape, @sess with the cookie store (private and signed) and the Redis store, and the peers the
 * issue names for that framework.
 *
 * @example
 * ```ts
 * CONTENDERS.filter((c) => c.framework === 'koa').map((c) => c.name)
 * ```
 */
export const CONTENDERS: readonly Contender[] = [
  { framework: 'express', name: 'bare', label: 'bare Express', kind: 'bare', store: 'none' },
  { framework: 'express', name: 'noop', label: 'no-op middleware', kind: 'noop', store: 'none' },
  sess('express', 'sess-cookie-private', '@sess cookie (private)', 'cookie'),
  sess('express', 'sess-cookie-signed', '@sess cookie (signed)', 'cookie'),
  sess('express', 'sess-redis', '@sess Redis', 'redis'),
  peer('express', 'express-session-memory', 'express-session MemoryStore', 'memory'),
  peer('express', 'express-session-redis', 'express-session + connect-redis', 'redis'),
  peer('express', 'cookie-session', 'cookie-session', 'cookie'),
  sess('express', 'sess-postgres', '@sess Postgres', 'postgres'),
  peer('express', 'express-session-pg', 'express-session + connect-pg-simple', 'postgres'),

  { framework: 'koa', name: 'bare', label: 'bare Koa', kind: 'bare', store: 'none' },
  { framework: 'koa', name: 'noop', label: 'no-op middleware', kind: 'noop', store: 'none' },
  sess('koa', 'sess-cookie-private', '@sess cookie (private)', 'cookie'),
  sess('koa', 'sess-cookie-signed', '@sess cookie (signed)', 'cookie'),
  sess('koa', 'sess-redis', '@sess Redis', 'redis'),
  peer('koa', 'koa-session-cookie', 'koa-session cookie', 'cookie'),
  peer('koa', 'koa-session-redis', 'koa-session + Redis store', 'redis'),

  { framework: 'hono', name: 'bare', label: 'bare Hono', kind: 'bare', store: 'none' },
  { framework: 'hono', name: 'noop', label: 'no-op middleware', kind: 'noop', store: 'none' },
  sess('hono', 'sess-cookie-private', '@sess cookie (private)', 'cookie'),
  sess('hono', 'sess-cookie-signed', '@sess cookie (signed)', 'cookie'),
  sess('hono', 'sess-redis', '@sess Redis', 'redis'),
  peer('hono', 'hono-sessions', 'hono-sessions CookieStore', 'cookie'),
  peer('hono', 'iron-session', 'iron-session', 'cookie'),

  { framework: 'fastify', name: 'bare', label: 'bare Fastify', kind: 'bare', store: 'none' },
  { framework: 'fastify', name: 'noop', label: 'no-op middleware', kind: 'noop', store: 'none' },
  sess('fastify', 'sess-cookie-private', '@sess cookie (private)', 'cookie'),
  sess('fastify', 'sess-cookie-signed', '@sess cookie (signed)', 'cookie'),
  sess('fastify', 'sess-redis', '@sess Redis', 'redis'),
  peer('fastify', 'fastify-session-memory', '@fastify/session MemoryStore', 'memory'),
  peer('fastify', 'fastify-session-redis', '@fastify/session + connect-redis', 'redis'),
  peer('fastify', 'fastify-secure-session', '@fastify/secure-session', 'cookie'),
];

function sess(framework: Framework, name: string, label: string, store: 'cookie' | 'redis' | 'postgres'): Contender {
  return { framework, name, label, kind: 'sess', store };
}

function peer(framework: Framework, name: string, label: string, store: StateStore): Contender {
  return { framework, name, label, kind: 'peer', store };
}

/**
 * `framework/name`, the id used on the command line and in the JSON.
 *
 * @example
 * ```ts
 * contenderId({ framework: 'koa', name: 'sess-redis' }) // 'koa/sess-redis'
 * ```
 */
export function contenderId(contender: Pick<Contender, 'framework' | 'name'>): string {
  return `${contender.framework}/${contender.name}`;
}

/**
 * The contenders whose id matches one of the comma-separated filters (a framework, an id, or a
 * part of an id); all of them without a filter. Each framework's bare server is always kept,
 * since every ratio needs it.
 *
 * @example
 * ```ts
 * selectContenders('koa,hono/sess-redis') // all of Koa, plus Hono's bare server and @sess Redis
 * ```
 */
export function selectContenders(filter: string | undefined): Contender[] {
  if (filter === undefined || filter.trim() === '') return [...CONTENDERS];
  const parts = filter.split(',').map((part) => part.trim()).filter(Boolean);
  const chosen = CONTENDERS.filter((c) => parts.some((part) => contenderId(c).includes(part)));
  const frameworks = new Set(chosen.map((c) => c.framework));
  return CONTENDERS.filter((c) => chosen.includes(c) || (c.kind === 'bare' && frameworks.has(c.framework)));
}
