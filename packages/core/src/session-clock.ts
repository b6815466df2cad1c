import type { SessionMeta } from './session-meta.js';
import type { SessionTimeouts } from './session-timeouts.js';

/**
 * How long past its deadline an ended session's record is kept (and a persistent cookie still
 * sent), so that a visitor who comes back is told `session-expired` (and why) rather than meeting
 * a session that simply is not there. The deadlines themselves are enforced at load, from the
 * timestamps, never by this window.
 */
export const EXPIRED_NOTICE_SECONDS = 3600;

/** Why a session ended at load: its idle or its absolute deadline passed. */
export type ExpiryReason = 'idle' | 'absolute';

/**
 * The session clocks of one configuration: the idle and absolute timeouts, the touch throttle,
 * and the TTL a write gives the store (and `Max-Age` the cookie). Times in the metadata are whole
 * seconds; the clock (`now`, in milliseconds, injectable for tests) is read here only.
 *
 * @example
 * ```ts
 * const clock = new SessionClock({ idleTimeoutSeconds: 900 }, 86_400, Date.now)
 * clock.expiry({ created: 0, active: 0 }) // 'idle', long after the epoch
 * ```
 */
export class SessionClock {
  readonly #idle: number | undefined;
  readonly #absolute: number | undefined;
  readonly #touch: number;

  constructor(
    timeouts: SessionTimeouts,
    /** The lifetime's TTL: what a write gives the store when no deadline is nearer. */
    readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {
    this.#idle = timeouts.idleTimeoutSeconds;
    this.#absolute = timeouts.absoluteTimeoutSeconds;
    this.#touch = timeouts.touchIntervalSeconds ?? Number.POSITIVE_INFINITY;
  }

  /** Whether a timeout is configured: sessions then carry their creation and activity times. */
  get timed(): boolean {
    return this.#idle !== undefined || this.#absolute !== undefined;
  }

  /** Whether the idle timeout is configured: activity then extends the session, by touches. */
  get idle(): boolean {
    return this.#idle !== undefined;
  }

  /** The current time, in whole seconds. */
  seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /**
   * Whether the session whose metadata is `meta` has ended, and by which deadline (the earlier
   * one when both passed). A session without timestamps (saved before timeouts were configured)
   * has not: its clocks start now.
   */
  expiry(meta: SessionMeta): ExpiryReason | undefined {
    const now = this.seconds();
    const idleAt = this.#idle === undefined || meta.active === undefined ? Infinity : meta.active + this.#idle;
    const absoluteAt = this.#absolute === undefined || meta.created === undefined ? Infinity : meta.created + this.#absolute;
    if (now < idleAt && now < absoluteAt) return undefined;
    return absoluteAt <= idleAt ? 'absolute' : 'idle';
  }

  /** Whether an unchanged session must write its activity (a touch): the interval has passed, or it has no timestamps yet. */
  touchDue(meta: SessionMeta, activity: boolean): boolean {
    if (!this.timed) return false;
    if (meta.created === undefined) return true;
    if (!activity || this.#idle === undefined) return false;
    return meta.active === undefined || this.seconds() - meta.active >= this.#touch;
  }

  /**
   * The metadata to write: creation time kept (set now for a new or untimed session), activity
   * time moved to now when the request counts as activity. `owned` sessions carry the times too
   * (listings show them); a session with neither timeouts nor owner gets none.
   */
  stamp(meta: SessionMeta, activity: boolean): SessionMeta {
    if (!this.timed && meta.owner === undefined) return meta;
    const now = this.seconds();
    const created = meta.created ?? now;
    const active = activity || meta.active === undefined ? Math.max(now, meta.active ?? 0) : meta.active;
    return created === meta.created && active === meta.active ? meta : Object.freeze({ ...meta, created, active });
  }

  /**
   * The TTL for a record with this metadata (and a persistent cookie's `Max-Age`): the lifetime's,
   * or, when a timeout deadline is nearer, the time to it plus {@link EXPIRED_NOTICE_SECONDS}.
   */
  ttlFor(meta: SessionMeta): number {
    const now = this.seconds();
    let deadline = Number.POSITIVE_INFINITY;
    if (this.#idle !== undefined && meta.active !== undefined) deadline = meta.active + this.#idle;
    if (this.#absolute !== undefined && meta.created !== undefined) deadline = Math.min(deadline, meta.created + this.#absolute);
    return Math.max(1, Math.min(this.ttlSeconds, deadline - now + EXPIRED_NOTICE_SECONDS));
  }
}
