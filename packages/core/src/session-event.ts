import type { LoadError } from './errors.js';

/**
 * Why an incoming session cookie was ignored (the request then starts an empty session).
 * - `oversize`: `name=value` is over 4096 bytes; dropped before any crypto work.
 * - `malformed-encoding`: a broken percent-escape, or an encoding other than the canonical one
 *   we write (a re-encoded cookie).
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
 * - `cookie-rejected`: the session cookie was ignored (see {@link CookieRejectionReason}).
 * - `key-rotated`: the cookie opened with an older key (`keyIndex` ≥ 1 in the key list); it is
 *   re-issued under the first key in the response.
 * - `state-missing`: the cookie was valid but the store had no state for it (expired, logged
 *   out elsewhere). At `load` the request starts empty; at `commit` (the state vanished while
 *   the request ran) the changes are dropped and the cookie is removed.
 * - `state-invalid`: the store holds a record it cannot decode; the request starts empty on the
 *   same key.
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
  | { readonly type: 'state-invalid'; readonly cookieName: string; readonly error: LoadError };
