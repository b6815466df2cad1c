import { SessionConfigError } from './errors.js';

/**
 * The server-side timeouts of a session (OWASP's idle and absolute timeouts), options of both
 * `browserSession(…)` and `persistentSession(…)`. Each is optional; with neither, sessions live
 * as actix-session's do (TTLs only) and their records and cookies are byte for byte the same.
 *
 * @example
 * ```ts
 * const timeouts: SessionTimeouts = { idleTimeoutSeconds: 900, absoluteTimeoutSeconds: 8 * 3600, touchIntervalSeconds: 225 }
 * ```
 */
export interface SessionTimeouts {
  /**
   * A session with no activity for this long ends (loads empty, record deleted, removal cookie,
   * `session-expired` with reason `idle`). Activity is recorded at most once per touch interval,
   * so a session ends between `idleTimeoutSeconds - touchIntervalSeconds` and
   * `idleTimeoutSeconds` after its last request.
   */
  readonly idleTimeoutSeconds?: number;
  /** A session ends this long after it was created, however active (reason `absolute`); `renew()` does not restart it. */
  readonly absoluteTimeoutSeconds?: number;
  /**
   * How often activity is written to the store (a "touch"), at most: a burst of read-only
   * requests writes once. Shorter than `idleTimeoutSeconds`; default a quarter of it (at least 1).
   */
  readonly touchIntervalSeconds?: number;
}

/** The names of the timeout options, for the lifetime factories' checks. */
export const TIMEOUT_OPTIONS: readonly string[] = ['idleTimeoutSeconds', 'absoluteTimeoutSeconds', 'touchIntervalSeconds'];

/**
 * Validates the timeout options given to `browserSession`/`persistentSession` and fills in the
 * touch interval's default. Throws {@link SessionConfigError} naming the option.
 *
 * @example
 * ```ts
 * checkTimeouts({ idleTimeoutSeconds: 900 }, 86_400) // { idleTimeoutSeconds: 900, touchIntervalSeconds: 225 }
 * ```
 */
export function checkTimeouts(given: Record<string, unknown>, maxSeconds: number): SessionTimeouts {
  const idle = optionalSeconds(given.idleTimeoutSeconds, 'lifecycle.idleTimeoutSeconds', maxSeconds);
  const absolute = optionalSeconds(given.absoluteTimeoutSeconds, 'lifecycle.absoluteTimeoutSeconds', maxSeconds);
  let touch = optionalSeconds(given.touchIntervalSeconds, 'lifecycle.touchIntervalSeconds', maxSeconds);
  if (touch !== undefined && idle === undefined) {
    throw new SessionConfigError('lifecycle.touchIntervalSeconds', 'only applies with idleTimeoutSeconds: activity is written to push the idle deadline back');
  }
  if (idle !== undefined) {
    touch ??= Math.max(1, Math.floor(idle / 4));
    if (touch >= idle) {
      throw new SessionConfigError('lifecycle.touchIntervalSeconds', `must be shorter than idleTimeoutSeconds (${idle}), got ${touch}: a session would end before its activity is written`);
    }
  }
  if (idle !== undefined && absolute !== undefined && absolute < idle) {
    throw new SessionConfigError('lifecycle.absoluteTimeoutSeconds', `must not be shorter than idleTimeoutSeconds (${idle}), got ${absolute}`);
  }
  const timeouts: { -readonly [K in keyof SessionTimeouts]: SessionTimeouts[K] } = {};
  if (idle !== undefined) timeouts.idleTimeoutSeconds = idle;
  if (absolute !== undefined) timeouts.absoluteTimeoutSeconds = absolute;
  if (touch !== undefined) timeouts.touchIntervalSeconds = touch;
  return timeouts;
}

function optionalSeconds(value: unknown, option: string, maxSeconds: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new SessionConfigError(option, `must be a whole number of seconds, at least 1 (got ${typeof value === 'string' ? JSON.stringify(value) : String(value)})`);
  }
  if (value > maxSeconds) {
    throw new SessionConfigError(option, `must be at most ${maxSeconds} seconds (400 days; got ${value}: milliseconds instead of seconds?)`);
  }
  return value;
}
