import { SessionStatus } from './session-status.js';

/**
 * What a commit does: actix-session's decision table (reference §4.3) with @sess's improvements,
 * as data. The lifecycle executes a plan; it never decides anything else.
 *
 * - `nothing`: no store call; `cookie` says whether a removal cookie is sent.
 * - `save`: save the state under a new key, send its cookie.
 * - `update`: update the state under the loaded key, send its cookie (the state gone meanwhile:
 *   drop the changes, send a removal cookie, never resurrect it).
 * - `delete`: delete the loaded key, send a removal cookie (logout).
 * - `renew`: delete the loaded key, then save the state under a new key and send its cookie (the
 *   old key gone meanwhile: send a removal cookie, save nothing).
 * - `extend`: the session is unchanged but its TTL is extended (`updateTtl`) and/or its cookie
 *   re-sent (a persistent session's new `Max-Age`, or a cookie read with an older key).
 * - `touch`: the session is unchanged but its activity time is due to be written (idle timeout;
 *   at most once per touch interval): written like an update, the TTL following the deadline.
 * - `expire`: the session's idle or absolute deadline had passed at load: delete its record, and
 *   save what the handler wrote under a new key (`save`) or send a removal cookie.
 *
 * @example
 * ```ts
 * const plan: CommitPlan = { kind: 'extend', updateTtl: true, resendCookie: false }
 * ```
 */
export type CommitPlan =
  | { readonly kind: 'nothing'; readonly cookie: 'none' | 'removal' }
  | { readonly kind: 'save' }
  | { readonly kind: 'update' }
  | { readonly kind: 'delete' }
  | { readonly kind: 'renew' }
  | { readonly kind: 'extend'; readonly updateTtl: boolean; readonly resendCookie: boolean }
  | { readonly kind: 'touch' }
  | { readonly kind: 'expire'; readonly save: boolean };

/** What the request loaded, as far as the decision table cares. */
export interface LoadedFacts {
  /** A store key was loaded (a valid cookie whose state exists, or an unreadable record). */
  readonly hasKey: boolean;
  /** A cookie with the session's name came in, valid or not. */
  readonly cookiePresent: boolean;
  /** The cookie opened with an older key of the list and must be re-issued under the first. */
  readonly rotated: boolean;
  /** The session's deadline had passed: its record is to be deleted (`hasKey` is then false). */
  readonly expired: boolean;
}

/** The options the decision table reads. */
export interface PlanPolicy {
  /** `extensionPolicy: 'on-every-request'`. */
  readonly everyRequest: boolean;
  /** A persistent session (its cookie has `Max-Age`). */
  readonly persistent: boolean;
  /** An idle timeout is set: activity extends the session by touches, not by `updateTtl`. */
  readonly idle: boolean;
}

/** Everything a commit depends on. */
export interface CommitInput {
  readonly loaded: LoadedFacts;
  /** The session's final status. */
  readonly status: SessionStatus;
  /** Whether the final state has no key. */
  readonly stateEmpty: boolean;
  /** The response's HTTP status, when the adapter knows it. */
  readonly responseStatus: number | undefined;
  /** An unchanged session's activity time is due to be written (see `SessionClock.touchDue`). */
  readonly touchDue: boolean;
  readonly policy: PlanPolicy;
}

const NOTHING: CommitPlan = Object.freeze({ kind: 'nothing', cookie: 'none' });
const REMOVE_COOKIE: CommitPlan = Object.freeze({ kind: 'nothing', cookie: 'removal' });
const SAVE: CommitPlan = Object.freeze({ kind: 'save' });
const UPDATE: CommitPlan = Object.freeze({ kind: 'update' });
const DELETE: CommitPlan = Object.freeze({ kind: 'delete' });
const RENEW: CommitPlan = Object.freeze({ kind: 'renew' });
const TOUCH: CommitPlan = Object.freeze({ kind: 'touch' });
const EXPIRE_AND_SAVE: CommitPlan = Object.freeze({ kind: 'expire', save: true });
const EXPIRE: CommitPlan = Object.freeze({ kind: 'expire', save: false });
const EXTEND = [false, true].map((updateTtl) =>
  [false, true].map((resendCookie) => Object.freeze({ kind: 'extend', updateTtl, resendCookie }) as CommitPlan),
);

/**
 * The decision table: what to do after the handler. Pure, and computed once per request.
 *
 * @example
 * ```ts
 * planCommit({ loaded: { hasKey: true, cookiePresent: true, rotated: false }, status: 'purged', stateEmpty: true, responseStatus: 200, policy })
 * // { kind: 'delete' }
 * ```
 */
export function planCommit(input: CommitInput): CommitPlan {
  const { loaded, status } = input;
  // Django's rule: a failed response persists nothing, so a handler that logs a user in and
  // then crashes leaves no half-made session behind.
  if (input.responseStatus !== undefined && input.responseStatus >= 500) return NOTHING;
  if (loaded.expired) {
    // A fresh session in place of an ended one: what the handler wrote (a new login) is saved.
    return status === SessionStatus.Purged || input.stateEmpty ? EXPIRE : EXPIRE_AND_SAVE;
  }
  if (!loaded.hasKey) {
    // No key to act on. A logout still clears a cookie that pointed at nothing (DESIGN
    // improvement 2); otherwise only a state worth keeping is saved (actix: status ignored).
    if (status === SessionStatus.Purged) return loaded.cookiePresent ? REMOVE_COOKIE : NOTHING;
    return input.stateEmpty ? NOTHING : SAVE;
  }
  switch (status) {
    case SessionStatus.Changed:
      return UPDATE;
    case SessionStatus.Purged:
      return DELETE;
    case SessionStatus.Renewed:
      return RENEW;
    default:
      return unchangedPlan(loaded, input.policy, input.touchDue);
  }
}

/**
 * The plan for a session the handler left unchanged: the one rule for "does an unchanged session
 * still need a commit", also asked at load time (see `RequestSession.onCommitNeeded`).
 *
 * @example
 * ```ts
 * unchangedPlan({ hasKey: true, cookiePresent: true, rotated: true, expired: false }, { everyRequest: false, persistent: false, idle: false }, false)
 * // { kind: 'extend', updateTtl: false, resendCookie: true }
 * ```
 */
export function unchangedPlan(loaded: LoadedFacts, policy: PlanPolicy, touchDue: boolean): CommitPlan {
  if (loaded.expired) return EXPIRE;
  if (!loaded.hasKey) return NOTHING;
  // Activity to write (idle timeout): the touch also re-issues the cookie when needed.
  if (touchDue) return TOUCH;
  // actix: `update_ttl` under on-every-request, re-sending the cookie only when it has a Max-Age;
  // @sess: a cookie read with an older key is re-issued under the first (rotation). With an idle
  // timeout, activity extends the session by throttled touches instead, whatever the policy.
  const everyRequest = policy.everyRequest && !policy.idle;
  const resendCookie = loaded.rotated || (everyRequest && policy.persistent);
  if (!everyRequest && !resendCookie) return NOTHING;
  return EXTEND[Number(everyRequest)]![Number(resendCookie)]!;
}
