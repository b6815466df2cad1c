import { createRequire } from 'node:module';
import type { FastifyPluginCallback } from 'fastify';

// @fastify/session and @fastify/secure-session each declare `FastifyRequest.session` with their
// own type, and so does @sess/fastify: one TypeScript program cannot hold those declarations
// together. The peers are therefore loaded untyped, through `require`, and described here by
// the few options this benchmark passes them.
const require = createRequire(import.meta.url);

/** The cookie attributes passed to both peers (through @fastify/cookie's `setCookie`). */
export interface PeerCookieOptions {
  readonly path: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: 'lax';
  readonly maxAge?: number;
}

/** @fastify/session's options used here (see its README). */
export interface FastifySessionOptions {
  readonly secret: string;
  readonly cookieName: string;
  readonly saveUninitialized: boolean;
  readonly rolling: boolean;
  readonly cookie: PeerCookieOptions;
  /** An express-session style store (`get`, `set`, `destroy` with callbacks), e.g. connect-redis. */
  readonly store?: object;
}

/** @fastify/secure-session's options used here (see its README). */
export interface SecureSessionOptions {
  /** A libsodium secretbox key: 32 bytes. */
  readonly key: Uint8Array;
  readonly cookieName: string;
  readonly expiry: number;
  readonly cookie: PeerCookieOptions;
}

/** `require('@fastify/cookie')`, which @fastify/session needs registered before it. */
export const fastifyCookie = require('@fastify/cookie') as FastifyPluginCallback;

/** `require('@fastify/session')`. */
export const fastifySession = require('@fastify/session') as FastifyPluginCallback<FastifySessionOptions>;

/** `require('@fastify/secure-session')`. */
export const fastifySecureSession = require('@fastify/secure-session') as FastifyPluginCallback<SecureSessionOptions>;

/**
 * The session object both peers put on `request.session`, as these routes use it.
 *
 * @example
 * ```ts
 * peerSession(request).set('counter', 1)
 * ```
 */
export function peerSession(request: unknown): { get(key: string): unknown; set(key: string, value: unknown): void } {
  return (request as { session: { get(key: string): unknown; set(key: string, value: unknown): void } }).session;
}
