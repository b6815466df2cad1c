import { SessionConfigError } from './errors.js';

/**
 * When the TTL of a session's state (and, for persistent sessions, its cookie) is extended.
 * - `on-state-changes`: only when the handler changed or renewed the session. The default.
 * - `on-every-request`: on every request carrying a valid session (a store `updateTtl` call).
 */
export type TtlExtensionPolicy = 'on-state-changes' | 'on-every-request';

/** A session whose cookie lasts until the browser closes (no `Max-Age`); its state still expires. */
export interface BrowserSession {
  readonly kind: 'browser';
  /** How long the store keeps the state after its last extension. */
  readonly stateTtlSeconds: number;
  readonly extensionPolicy: TtlExtensionPolicy;
}

/** A session whose cookie carries `Max-Age`, so it survives browser restarts. */
export interface PersistentSession {
  readonly kind: 'persistent';
  /** Lifetime of both the cookie (`Max-Age`) and the stored state. */
  readonly sessionTtlSeconds: number;
  readonly extensionPolicy: TtlExtensionPolicy;
}

/** How long sessions live: {@link browserSession} (the default) or {@link persistentSession}. */
export type SessionLifecycle = BrowserSession | PersistentSession;

const ONE_DAY = 86_400;

/**
 * A browser session (actix-session's `BrowserSession`): no `Max-Age` on the cookie, state kept
 * `stateTtlSeconds` (default one day) after its last extension.
 *
 * @example
 * ```ts
 * lifecycle: browserSession({ stateTtlSeconds: 3600 })
 * ```
 */
export function browserSession(
  options: { stateTtlSeconds?: number; extensionPolicy?: TtlExtensionPolicy } = {},
): BrowserSession {
  return Object.freeze({
    kind: 'browser',
    stateTtlSeconds: ttl(options.stateTtlSeconds ?? ONE_DAY, 'lifecycle.stateTtlSeconds'),
    extensionPolicy: policy(options.extensionPolicy ?? 'on-state-changes'),
  });
}

/**
 * A persistent session (actix-session's `PersistentSession`): the cookie gets
 * `Max-Age=sessionTtlSeconds` (default one day) and the state the same TTL.
 *
 * @example
 * ```ts
 * lifecycle: persistentSession({ sessionTtlSeconds: 7 * 86400, extensionPolicy: 'on-every-request' })
 * ```
 */
export function persistentSession(
  options: { sessionTtlSeconds?: number; extensionPolicy?: TtlExtensionPolicy } = {},
): PersistentSession {
  return Object.freeze({
    kind: 'persistent',
    sessionTtlSeconds: ttl(options.sessionTtlSeconds ?? ONE_DAY, 'lifecycle.sessionTtlSeconds'),
    extensionPolicy: policy(options.extensionPolicy ?? 'on-state-changes'),
  });
}

function ttl(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new SessionConfigError(option, `must be a whole number of seconds, at least 1 (got ${String(value)})`);
  }
  return value;
}

function policy(value: unknown): TtlExtensionPolicy {
  if (value !== 'on-state-changes' && value !== 'on-every-request') {
    throw new SessionConfigError(
      'lifecycle.extensionPolicy',
      `must be 'on-state-changes' or 'on-every-request' (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}
