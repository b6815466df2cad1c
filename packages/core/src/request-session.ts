import { unchangedPlan, type LoadedFacts, type PlanPolicy } from './commit-plan.js';
import { Session, sessionInternals } from './session.js';
import type { SessionKey } from './session-key.js';
import { SessionStatus } from './session-status.js';

/**
 * One request's session, from `manager.load` to `manager.commit`. Adapters hand `session` to the
 * handler and give the object back to `commit` afterwards.
 *
 * @example
 * ```ts
 * const rs = await manager.load(req.headers.cookie)
 * handler(rs.session)
 * ```
 */
export interface RequestSession {
  /** The session the handler reads and writes. */
  readonly session: Session;
  /**
   * Calls `listener` once, synchronously, when committing may have work to do: at once when it
   * already has (a cookie read with an older key to re-issue, a TTL to extend on every request),
   * otherwise the moment the handler first changes the session (`insert`, `remove`, `clear`,
   * `purge`, `renew`…). While it has not been called, `commit` would send no cookie and call no
   * store method, so an adapter may skip the commit altogether: Express holds the response head
   * only for requests that need it.
   *
   * @example
   * ```ts
   * rs.onCommitNeeded(() => holdResponseHead(res, commit, next, headersAtLoad))
   * ```
   */
  onCommitNeeded(listener: () => void): void;
}

/** How a request's session was loaded: the session key and the cookie it came in. */
export interface LoadedFrom {
  /** The session key (the store's key for the state) to update or delete; `null` when there is none to act on. */
  readonly sessionKey: SessionKey | null;
  /** A cookie with the session's name came in (valid or not). */
  readonly cookiePresent: boolean;
  /** The cookie opened with an older key and must be re-issued under the first. */
  readonly rotated: boolean;
  /** The incoming value (decoded) when it opened to `sessionKey`: re-sent as is while the session key stays. */
  readonly cookieValue: string | null;
  /** The session key of a session whose deadline had passed: its record is deleted at commit. */
  readonly expiredKey?: SessionKey;
}

const { onFirstChange } = sessionInternals();

const NO_COOKIE: LoadedFrom = Object.freeze({ sessionKey: null, cookiePresent: false, rotated: false, cookieValue: null });
const IGNORED_COOKIE: LoadedFrom = Object.freeze({ sessionKey: null, cookiePresent: true, rotated: false, cookieValue: null });

/**
 * The lifecycle's side of a {@link RequestSession}: what was loaded, and whether it was committed.
 * Built by the named constructors, one per way a load can end.
 *
 * @example
 * ```ts
 * const rs = LoadedSession.fresh(manager, policy)
 * ```
 */
export class LoadedSession implements RequestSession, LoadedFacts {
  /** `commit` ran (or was skipped as having nothing to do). */
  committed = false;

  private constructor(
    /** The manager that loaded it: only that one may commit it. */
    readonly manager: object,
    readonly session: Session,
    readonly from: LoadedFrom,
    private readonly policy: PlanPolicy,
    /** Whether the activity time would be due for writing (if the request counts as activity). */
    readonly touchDue = false,
  ) {}

  /** No session cookie came in: an empty session. */
  static fresh(manager: object, policy: PlanPolicy): LoadedSession {
    return new LoadedSession(manager, new Session(), NO_COOKIE, policy);
  }

  /** A session cookie came in but leads nowhere (rejected, or its state is gone): an empty session. */
  static ignoredCookie(manager: object, policy: PlanPolicy): LoadedSession {
    return new LoadedSession(manager, new Session(), IGNORED_COOKIE, policy);
  }

  /** A cookie opened to a session key: `session` holds its state (empty when the record was unreadable). */
  static opened(manager: object, policy: PlanPolicy, session: Session, from: LoadedFrom, touchDue = false): LoadedSession {
    return new LoadedSession(manager, session, from, policy, touchDue);
  }

  get hasKey(): boolean {
    return this.from.sessionKey !== null;
  }

  get cookiePresent(): boolean {
    return this.from.cookiePresent;
  }

  get rotated(): boolean {
    return this.from.rotated;
  }

  get expired(): boolean {
    return this.from.expiredKey !== undefined;
  }

  /** A session whose deadline had passed: an empty session, its record deleted at commit. */
  static expired(manager: object, policy: PlanPolicy, expiredKey: SessionKey): LoadedSession {
    const from = { sessionKey: null, cookiePresent: true, rotated: false, cookieValue: null, expiredKey };
    return new LoadedSession(manager, new Session(), from, policy);
  }

  onCommitNeeded(listener: () => void): void {
    if (this.session.status !== SessionStatus.Unchanged || unchangedPlan(this, this.policy, this.touchDue).kind !== 'nothing') {
      listener();
    } else {
      onFirstChange(this.session, listener);
    }
  }
}
