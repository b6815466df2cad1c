import type { LoadError } from './errors.js';
import type { ExpiryReason } from './session-clock.js';

/**
 * Why an incoming session cookie was ignored (the request then starts an empty session).
 * - `oversize`: `name=value` is over 4096 bytes; dropped before any crypto work.
 * - `malformed-encoding`: its value does not percent-decode to UTF-8. Any valid encoding is read
 *   (lower-case escapes, characters escaped or not), as actix-session does: what protects the
 *   session is the authentication of the decoded value, not its spelling.
 * - `malformed`: not something we could have issued (bad base64, too short).
 * - `unauthenticated`: no key opens it: tampered, forged, sealed by a removed key or in the
 *   other content-security mode.
 * - `invalid-session-key`: it opened, but its content is not a usable session key.
 */
export type CookieRejectionReason =
  | 'oversize'
  | 'malformed-encoding'
  | 'malformed'
  | 'unauthenticated'
  | 'invalid-session-key';

/**
 * A reason-coded report from the lifecycle, delivered to the `onEvent` option. Events never
 * contain the raw cookie. Use them for logs and metrics; they do not change what happens.
 *
 * - `cookie-rejected`: the session cookie was ignored (see {@link CookieRejectionReason}). With
 *   several cookies of the session's name, one that does not decode is reported and skipped, and
 *   the first that decodes is read (as actix-web does).
 * - `key-rotated`: the cookie opened with an older key (`keyIndex` ≥ 1 in the key list); it is
 *   re-issued under the first key in the response.
 * - `state-missing`: the cookie was valid but the store had no state for it (expired, logged
 *   out elsewhere). At `load` the request starts empty; at `commit` (the state vanished while
 *   the request ran) the changes are dropped and the cookie is removed.
 * - `state-invalid`: the store holds a record it cannot decode; the request starts empty on the
 *   same key.
 * - `session-expired`: the session's idle or absolute deadline (`reason`) had passed: the request
 *   starts empty, the record is deleted and the cookie removed. Distinct from `state-missing`
 *   (the store no longer had it: expired by its TTL, logged out elsewhere), though both mean
 *   "your session ended" to a user who had one.
 * - `session-revoked`: a cookie-store session whose owner's sessions were revoked (an owner
 *   stamp newer than the session): the request starts empty and the cookie is removed.
 * - `secure-cookie-over-http`: a session cookie with the `Secure` attribute was sent in answer to a
 *   request that came over plain HTTP to a host other than localhost (the adapter tells). Browsers
 *   drop such a cookie, so the session silently does not stick: serve over HTTPS (or behind a
 *   proxy the framework trusts), or set `cookie.secure: false` for local plain-HTTP testing only.
 *
 * @example
 * ```ts
 * onEvent: (event) => metrics.increment(`session.${event.type}`)
 * ```
 */
export type SessionEvent =
  | { readonly type: 'cookie-rejected'; readonly cookieName: string; readonly reason: CookieRejectionReason }
  | { readonly type: 'key-rotated'; readonly cookieName: string; readonly keyIndex: number }
  | { readonly type: 'state-missing'; readonly cookieName: string; readonly phase: 'load' | 'commit' }
  | { readonly type: 'state-invalid'; readonly cookieName: string; readonly error: LoadError }
  | { readonly type: 'session-expired'; readonly cookieName: string; readonly reason: ExpiryReason }
  | { readonly type: 'session-revoked'; readonly cookieName: string }
  | { readonly type: 'secure-cookie-over-http'; readonly cookieName: string; readonly host: string };

/**
 * Delivers events to the `onEvent` option. A failing logger must not turn into failing requests
 * (`onEvent` is documented not to throw), so what it throws is dropped.
 *
 * @example
 * ```ts
 * const emit = eventEmitter(options.onEvent)
 * emit({ type: 'key-rotated', cookieName: 'id', keyIndex: 1 })
 * ```
 */
export function eventEmitter(onEvent: ((event: SessionEvent) => void) | undefined): (event: SessionEvent) => void {
  if (onEvent === undefined) return () => {};
  return (event) => {
    try {
      onEvent(event);
    } catch {
      // Dropped on purpose, see above.
    }
  };
}
