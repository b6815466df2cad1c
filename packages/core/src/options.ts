import type { ContentSecurity } from './cookie-codec.js';
import { SessionConfigError } from './errors.js';
import { toKey, type Key } from './key.js';
import { browserSession, checkLifecycle, type SessionLifecycle } from './session-lifetime.js';
import type { OwnerRevocationStore } from './owner-revocations.js';
import type { SessionEvent } from './session-event.js';
import type { SessionStore } from './session-store.js';

/** The `SameSite` attribute of the session cookie. */
export type SameSite = 'strict' | 'lax' | 'none';

/** Attributes of the session cookie. Defaults are actix-session's. */
export interface CookieOptions {
  /** Cookie name. Default `'id'`. */
  name?: string;
  /**
   * Write the `Secure` attribute (whatever the request's protocol). Default `true`. Browsers
   * drop a `Secure` cookie received over plain HTTP, except from `localhost` and loopback
   * addresses: opened as `http://192.168.1.20:3000` (a LAN or Docker address), sessions never
   * stick. The adapters report each such response as a `secure-cookie-over-http` event
   * (`onEvent`); serve over HTTPS, or set `false` for plain-HTTP testing only.
   */
  secure?: boolean;
  /** Write the `HttpOnly` attribute. Default `true`. */
  httpOnly?: boolean;
  /** Default `'lax'`; `'none'` requires `secure`. */
  sameSite?: SameSite;
  /** Default `'/'`. */
  path?: string;
  /** No `Domain` attribute by default (host-only cookie). */
  domain?: string;
  /** Default `'private'` (encrypted); `'signed'` keeps the value readable. */
  contentSecurity?: ContentSecurity;
}

/**
 * Options shared by `createSessionManager` and every adapter's `sessionMiddleware`.
 *
 * @example
 * ```ts
 * const options: SessionOptions = { store: new MemorySessionStore(), key: Key.generate() }
 * ```
 */
export interface SessionOptions {
  /** Where states live: `CookieSessionStore`, `MemorySessionStore`, `RedisSessionStore`… */
  store: SessionStore;
  /** The key that seals cookies, or several to rotate: the first seals, all open. */
  key: Key | readonly Key[];
  /** Cookie attributes. */
  cookie?: CookieOptions;
  /** `browserSession()` (default) or `persistentSession()`; validated in full when the manager is created. */
  lifecycle?: SessionLifecycle;
  /** Receives reason-coded reports (rejected cookies, missing state, key rotation). Must not throw. */
  onEvent?: (event: SessionEvent) => void;
  /** "A user's sessions" (see `session.setOwner` and the `owners` API). */
  owners?: OwnersOptions;
  /**
   * The clock, in milliseconds since the epoch: the timeouts read it. Default `Date.now`. For
   * tests: move time forward instead of sleeping (give the memory store the same clock).
   */
  now?: () => number;
}

/**
 * Options of "a user's sessions".
 *
 * @example
 * ```ts
 * owners: { maxSessionsPerOwner: 5 }
 * ```
 */
export interface OwnersOptions {
  /** At most this many live sessions per owner: a new one revokes the least recently seen. Needs a store with an owner index. */
  maxSessionsPerOwner?: number;
  /** Where owner revocations are kept, for a store without an owner index (the cookie store). */
  revocations?: OwnerRevocationStore;
}

/** Options after validation and defaults: what the lifecycle runs on. */
export interface ResolvedOptions {
  readonly store: SessionStore;
  readonly keys: readonly Key[];
  readonly cookie: Readonly<Required<Omit<CookieOptions, 'domain'>>> & { readonly domain: string | undefined };
  readonly lifecycle: SessionLifecycle;
  /** The TTL handed to the store. */
  readonly stateTtlSeconds: number;
  /** `Max-Age` of the cookie, or `undefined` for a browser session. */
  readonly maxAgeSeconds: number | undefined;
  readonly onEvent: ((event: SessionEvent) => void) | undefined;
  readonly owners: { readonly maxSessionsPerOwner: number | undefined; readonly revocations: OwnerRevocationStore | undefined };
  readonly now: () => number;
}

const TOP_LEVEL = new Set(['store', 'key', 'cookie', 'lifecycle', 'onEvent', 'owners', 'now']);
const OWNERS_KEYS = new Set(['maxSessionsPerOwner', 'revocations']);
const COOKIE_KEYS = new Set(['name', 'secure', 'httpOnly', 'sameSite', 'path', 'domain', 'contentSecurity']);
const STORE_METHODS = ['load', 'save', 'update', 'updateTtl', 'delete'] as const;
// RFC 6265 token characters: no controls, spaces, separators such as ; , = " ( ).
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 6265 path-value: any CHAR except controls and `;`.
const COOKIE_PATH = /^\/[\x20-\x3a\x3c-\x7e]*$/;
// A host name (optionally with a leading dot), as the `cookie` package accepts.
const COOKIE_DOMAIN = /^\.?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Validates `options` and fills in defaults, throwing {@link SessionConfigError} naming the
 * first bad option. Never mutates `options`; the result is frozen.
 */
export function resolveOptions(options: SessionOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError('options', 'expected an object with at least { store, key }');
  }
  unknownKeys(options, TOP_LEVEL, '');
  const store = checkStore(options.store);
  const keys = checkKeys(options.key);
  const cookie = checkCookie(options.cookie ?? {});
  // Checked in full, not just by kind: the lifecycle interfaces are exported, so an object
  // literal with a negative TTL or a made-up policy must fail here rather than on every request.
  const lifecycle = options.lifecycle === undefined ? browserSession() : checkLifecycle(options.lifecycle);
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new SessionConfigError('onEvent', 'must be a function');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new SessionConfigError('now', 'must be a function returning the time in milliseconds, like Date.now');
  }
  const persistent = lifecycle.kind === 'persistent';
  return Object.freeze({
    store,
    keys,
    cookie,
    lifecycle,
    stateTtlSeconds: persistent ? lifecycle.sessionTtlSeconds : lifecycle.stateTtlSeconds,
    maxAgeSeconds: persistent ? lifecycle.sessionTtlSeconds : undefined,
    onEvent: options.onEvent,
    owners: checkOwners(options.owners, store),
    now: options.now ?? Date.now,
  });
}

function checkOwners(owners: OwnersOptions | undefined, store: SessionStore): ResolvedOptions['owners'] {
  if (owners === undefined) return Object.freeze({ maxSessionsPerOwner: undefined, revocations: undefined });
  if (typeof owners !== 'object' || owners === null) throw new SessionConfigError('owners', 'must be an object such as { maxSessionsPerOwner: 5 }');
  unknownKeys(owners, OWNERS_KEYS, 'owners.');
  const { maxSessionsPerOwner, revocations } = owners;
  if (maxSessionsPerOwner !== undefined) {
    if (!Number.isSafeInteger(maxSessionsPerOwner) || maxSessionsPerOwner < 1) {
      throw new SessionConfigError('owners.maxSessionsPerOwner', `must be a whole number ≥ 1 (got ${String(maxSessionsPerOwner)})`);
    }
    if (typeof store.listOwned !== 'function' || typeof store.deleteOwned !== 'function') {
      throw new SessionConfigError('owners.maxSessionsPerOwner', 'needs a store with an owner index (listOwned/deleteOwned: the memory, Redis and PostgreSQL stores); the cookie store cannot count cookies');
    }
  }
  if (revocations !== undefined && (typeof revocations !== 'object' || revocations === null || typeof revocations.get !== 'function' || typeof revocations.set !== 'function')) {
    throw new SessionConfigError('owners.revocations', 'must be an OwnerRevocationStore (get/set), such as new MemoryOwnerRevocations()');
  }
  return Object.freeze({ maxSessionsPerOwner, revocations });
}

function unknownKeys(object: object, allowed: ReadonlySet<string>, prefix: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.has(key)) {
      throw new SessionConfigError(
        `${prefix}${key}`,
        `is not an option; expected one of ${[...allowed].map((k) => prefix + k).join(', ')}`,
      );
    }
  }
}

function checkStore(store: unknown): SessionStore {
  if (typeof store !== 'object' || store === null) {
    throw new SessionConfigError('store', 'is required: a SessionStore such as new CookieSessionStore()');
  }
  for (const method of STORE_METHODS) {
    if (typeof (store as Record<string, unknown>)[method] !== 'function') {
      throw new SessionConfigError('store', `is not a SessionStore: it has no ${method}() method`);
    }
  }
  return store as SessionStore;
}

function checkKeys(key: unknown): readonly Key[] {
  const keys = Array.isArray(key) ? key : [key];
  if (keys.length === 0) throw new SessionConfigError('key', 'needs at least one Key');
  return Object.freeze(
    keys.map((item: unknown, index) => {
      const local = toKey(item);
      if (local !== undefined) return local;
      const where = Array.isArray(key) ? `key[${index}]` : 'key';
      if (typeof (item as { then?: unknown } | null)?.then === 'function') {
        throw new SessionConfigError(where, 'you passed a Promise: await Key.derive(…) before creating the middleware');
      }
      throw new SessionConfigError(where, 'must be a Key: use Key.fromBase64(secret), Key.from(64+ secret bytes), await Key.derive(32+ byte master) or Key.generate()');
    }),
  );
}

function checkCookie(cookie: CookieOptions): ResolvedOptions['cookie'] {
  if (typeof cookie !== 'object' || cookie === null) throw new SessionConfigError('cookie', 'must be an object');
  unknownKeys(cookie, COOKIE_KEYS, 'cookie.');
  const name = cookie.name ?? 'id';
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    throw new SessionConfigError(
      'cookie.name',
      `${JSON.stringify(name)} is not a valid cookie name: use letters, digits and !#$%&'*+-.^_\`|~ (no spaces, controls, ';' or '=')`,
    );
  }
  const secure = bool(cookie.secure, true, 'cookie.secure');
  const httpOnly = bool(cookie.httpOnly, true, 'cookie.httpOnly');
  const sameSite = typeof cookie.sameSite === 'string' ? cookie.sameSite.toLowerCase() : (cookie.sameSite ?? 'lax');
  if (sameSite !== 'strict' && sameSite !== 'lax' && sameSite !== 'none') {
    throw new SessionConfigError('cookie.sameSite', `must be 'strict', 'lax' or 'none' (got ${JSON.stringify(cookie.sameSite)})`);
  }
  if (sameSite === 'none' && !secure) {
    throw new SessionConfigError('cookie.sameSite', "'none' requires cookie.secure to be true; browsers reject SameSite=None cookies without Secure");
  }
  const path = cookie.path ?? '/';
  if (typeof path !== 'string' || !COOKIE_PATH.test(path)) {
    throw new SessionConfigError('cookie.path', `${JSON.stringify(path)} must start with '/' and contain no control characters or ';'`);
  }
  const domain = cookie.domain;
  if (domain !== undefined && (typeof domain !== 'string' || !COOKIE_DOMAIN.test(domain))) {
    throw new SessionConfigError('cookie.domain', `${JSON.stringify(domain)} is not a host name (no control characters, ';', ports or paths)`);
  }
  const contentSecurity = cookie.contentSecurity ?? 'private';
  if (contentSecurity !== 'private' && contentSecurity !== 'signed') {
    throw new SessionConfigError('cookie.contentSecurity', `must be 'private' or 'signed' (got ${JSON.stringify(contentSecurity)})`);
  }
  // Cookie prefixes (RFC 6265bis §4.1.3): browsers silently drop cookies that break these rules.
  if (name.startsWith('__Host-')) {
    if (!secure) throw new SessionConfigError('cookie.secure', `must be true for a cookie named ${name} (the __Host- prefix)`);
    if (domain !== undefined) throw new SessionConfigError('cookie.domain', `must not be set for a cookie named ${name} (the __Host- prefix)`);
    if (path !== '/') throw new SessionConfigError('cookie.path', `must be '/' for a cookie named ${name} (the __Host- prefix)`);
  } else if (name.startsWith('__Secure-') && !secure) {
    throw new SessionConfigError('cookie.secure', `must be true for a cookie named ${name} (the __Secure- prefix)`);
  }
  return Object.freeze({ name, secure, httpOnly, sameSite, path, domain, contentSecurity });
}

function bool(value: unknown, fallback: boolean, option: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new SessionConfigError(option, `must be true or false (got ${JSON.stringify(value)})`);
  return value;
}
