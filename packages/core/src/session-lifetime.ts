import { SessionConfigError } from './errors.js';
import { checkTimeouts, TIMEOUT_OPTIONS, type SessionTimeouts } from './session-timeouts.js';

/**
 * When the TTL of a session's state (and, for persistent sessions, its cookie) is extended.
 * - `on-state-changes`: only when the handler changed or renewed the session. The default.
 * - `on-every-request`: on every request carrying a valid session (a store `updateTtl` call).
 *
 * Both apply to both lifecycles, as actix-session's `TtlExtensionPolicy` does: under a browser
 * session `on-every-request` extends the stored state only, the cookie having no `Max-Age`.
 *
 * @example
 * ```ts
 * const policy: TtlExtensionPolicy = 'on-every-request'
 * ```
 */
export type TtlExtensionPolicy = 'on-state-changes' | 'on-every-request';

/**
 * A session whose cookie lasts until the browser closes (no `Max-Age`); its state still expires.
 * Build it with {@link browserSession}; a hand-written object is validated the same way when
 * the manager is created.
 *
 * @example
 * ```ts
 * const lifecycle: BrowserSession = browserSession({ stateTtlSeconds: 3600 })
 * ```
 */
export interface BrowserSession extends SessionTimeouts {
  /** Tells the lifecycles apart: always `'browser'` here. */
  readonly kind: 'browser';
  /** How long the store keeps the state after its last extension, in whole seconds. */
  readonly stateTtlSeconds: number;
  /** When the state's TTL is extended; see {@link TtlExtensionPolicy}. */
  readonly extensionPolicy: TtlExtensionPolicy;
}

/**
 * A session whose cookie carries `Max-Age`, so it survives browser restarts. Build it with
 * {@link persistentSession}; a hand-written object is validated the same way when the manager
 * is created.
 *
 * @example
 * ```ts
 * const lifecycle: PersistentSession = persistentSession({ sessionTtlSeconds: 30 * 86400 })
 * ```
 */
export interface PersistentSession extends SessionTimeouts {
  /** Tells the lifecycles apart: always `'persistent'` here. */
  readonly kind: 'persistent';
  /** Lifetime of both the cookie (`Max-Age`) and the stored state, in whole seconds. */
  readonly sessionTtlSeconds: number;
  /**
   * When the TTL is extended; see {@link TtlExtensionPolicy}. Under `on-every-request` the
   * cookie is re-sent with a fresh `Max-Age` on every request with a valid session.
   */
  readonly extensionPolicy: TtlExtensionPolicy;
}

/**
 * How long sessions live: {@link browserSession} (the default) or {@link persistentSession}.
 *
 * @example
 * ```ts
 * const lifecycle: SessionLifecycle = rememberMe ? persistentSession() : browserSession()
 * ```
 */
export type SessionLifecycle = BrowserSession | PersistentSession;

const ONE_DAY = 86_400;

/**
 * The longest TTL accepted: 400 days. Browsers cap a cookie's lifetime there (RFC 6265bis'
 * cookie-age-limit; Chrome and Firefox enforce it), so a persistent session cannot outlive it
 * anyway, and a larger number is far more often milliseconds given for seconds (`86_400_000`
 * for a day) than a real wish. Every store takes it: Redis `EX`, the memory store's clock.
 */
const MAX_TTL_SECONDS = 400 * ONE_DAY;

/**
 * A browser session (actix-session's `BrowserSession`): no `Max-Age` on the cookie, state kept
 * `stateTtlSeconds` (default one day, at most 400 days) after its last extension. Idle and
 * absolute timeouts are optional ({@link SessionTimeouts}). Throws {@link SessionConfigError}
 * for a bad value or an unknown option.
 *
 * @example
 * ```ts
 * lifecycle: browserSession({ stateTtlSeconds: 3600 })
 * ```
 */
export function browserSession(
  options: {
    /** Whole seconds, 1 to 400 days. Default 86400 (one day). */
    stateTtlSeconds?: number;
    /** Default `'on-state-changes'`. */
    extensionPolicy?: TtlExtensionPolicy;
  } & SessionTimeouts = {},
): BrowserSession {
  return build('browser', options, 'browserSession()');
}

/**
 * A persistent session (actix-session's `PersistentSession`): the cookie gets
 * `Max-Age=sessionTtlSeconds` (default one day, at most 400 days) and the state the same TTL.
 * Idle and absolute timeouts are optional ({@link SessionTimeouts}). Throws
 * {@link SessionConfigError} for a bad value or an unknown option.
 *
 * @example
 * ```ts
 * lifecycle: persistentSession({ sessionTtlSeconds: 7 * 86400, extensionPolicy: 'on-every-request' })
 * ```
 */
export function persistentSession(
  options: {
    /** Whole seconds, 1 to 400 days. Default 86400 (one day). */
    sessionTtlSeconds?: number;
    /** Default `'on-state-changes'`. */
    extensionPolicy?: TtlExtensionPolicy;
  } & SessionTimeouts = {},
): PersistentSession {
  return build('persistent', options, 'persistentSession()');
}

/**
 * Validates the `lifecycle` option of `createSessionManager`: what the factories return, or an
 * object literal of the exported interfaces (checked as strictly, missing fields defaulted).
 * Returns a frozen copy; throws {@link SessionConfigError} naming the bad field.
 *
 * @example
 * ```ts
 * checkLifecycle({ kind: 'persistent', sessionTtlSeconds: -5 }) // SessionConfigError: lifecycle.sessionTtlSeconds: …
 * ```
 */
export function checkLifecycle(value: unknown): SessionLifecycle {
  if (typeof value !== 'object' || value === null) {
    throw new SessionConfigError('lifecycle', 'must come from browserSession() or persistentSession()');
  }
  const { kind, ...rest } = value as { kind?: unknown };
  if (kind === 'browser') return build('browser', rest, "a lifecycle of kind 'browser'");
  if (kind === 'persistent') return build('persistent', rest, "a lifecycle of kind 'persistent'");
  throw new SessionConfigError(
    'lifecycle.kind',
    `must be 'browser' or 'persistent' (got ${show(kind)}); build the lifecycle with browserSession() or persistentSession()`,
  );
}

const TTL_FIELD = { browser: 'stateTtlSeconds', persistent: 'sessionTtlSeconds' } as const;

// Names people reach for (actix-session's, in snake_case and camelCase, and other libraries'),
// mapped to the field they most likely meant: the lifetime of the cookie, of the state, of
// whichever the lifecycle has, or the extension policy.
const ALIASES: Readonly<Record<string, 'cookie' | 'state' | 'ttl' | 'extensionPolicy'>> = {
  sessionTtlSeconds: 'cookie',
  session_ttl: 'cookie',
  sessionTtl: 'cookie',
  maxAge: 'cookie',
  expires: 'cookie',
  stateTtlSeconds: 'state',
  state_ttl: 'state',
  stateTtl: 'state',
  ttl: 'ttl',
  ttlSeconds: 'ttl',
  policy: 'extensionPolicy',
  ttlExtensionPolicy: 'extensionPolicy',
  ttl_extension_policy: 'extensionPolicy',
  stateTtlExtensionPolicy: 'extensionPolicy',
  state_ttl_extension_policy: 'extensionPolicy',
  sessionTtlExtensionPolicy: 'extensionPolicy',
  session_ttl_extension_policy: 'extensionPolicy',
};

function build(kind: 'browser', options: unknown, where: string): BrowserSession;
function build(kind: 'persistent', options: unknown, where: string): PersistentSession;
function build(kind: SessionLifecycle['kind'], options: unknown, where: string): SessionLifecycle {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SessionConfigError('lifecycle', `${where} takes an options object (got ${show(options)})`);
  }
  const ttlField = TTL_FIELD[kind];
  for (const name of Object.keys(options)) {
    if (name !== ttlField && name !== 'extensionPolicy' && !TIMEOUT_OPTIONS.includes(name)) throw unknownOption(kind, name, where);
  }
  // Only an absent (or `undefined`) field takes the default; `null` is a mistake to report.
  const given = options as Record<string, unknown>;
  const ttlSeconds = ttl(given[ttlField] === undefined ? ONE_DAY : given[ttlField], `lifecycle.${ttlField}`);
  const extensionPolicy = policy(given.extensionPolicy === undefined ? 'on-state-changes' : given.extensionPolicy);
  const timeouts = checkTimeouts(given, MAX_TTL_SECONDS);
  return kind === 'browser'
    ? Object.freeze({ kind, stateTtlSeconds: ttlSeconds, extensionPolicy, ...timeouts })
    : Object.freeze({ kind, sessionTtlSeconds: ttlSeconds, extensionPolicy, ...timeouts });
}

function unknownOption(kind: SessionLifecycle['kind'], name: string, where: string): SessionConfigError {
  const ttlField = TTL_FIELD[kind];
  const problem = `is not an option of ${where}; expected ${ttlField}, extensionPolicy, ${TIMEOUT_OPTIONS.join(', ')}`;
  const meant = ALIASES[name];
  let hint = '';
  if (meant === 'cookie' && kind === 'browser') {
    // A browser session's cookie has no lifetime of its own: that is what persistentSession() is for.
    hint = `; use stateTtlSeconds for how long the state is kept, or persistentSession({ sessionTtlSeconds }) for a cookie with Max-Age`;
  } else if (meant === 'state' && kind === 'persistent') {
    hint = '; did you mean sessionTtlSeconds (the lifetime of both the cookie and the state)?';
  } else if (meant !== undefined) {
    hint = `; did you mean ${meant === 'extensionPolicy' ? meant : ttlField}?`;
  }
  return new SessionConfigError(`lifecycle.${name}`, problem + hint);
}

function ttl(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new SessionConfigError(option, `must be a whole number of seconds, at least 1 (got ${show(value)})`);
  }
  if (value > MAX_TTL_SECONDS) {
    throw new SessionConfigError(
      option,
      `must be at most ${MAX_TTL_SECONDS} seconds (400 days, the longest Max-Age browsers keep; got ${value}: milliseconds instead of seconds?)`,
    );
  }
  return value;
}

function policy(value: unknown): TtlExtensionPolicy {
  if (value !== 'on-state-changes' && value !== 'on-every-request') {
    throw new SessionConfigError(
      'lifecycle.extensionPolicy',
      `must be 'on-state-changes' or 'on-every-request' (got ${show(value)})`,
    );
  }
  return value;
}

/** A short rendering of a rejected value for an error message. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
