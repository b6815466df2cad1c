import type { CommitPlan, PlanPolicy } from './commit-plan.js';
import { emptyState, type JsonValue, type SessionState } from './json.js';
import { andThen, type MaybePromise } from './maybe-promise.js';
import type { LoadedSession } from './request-session.js';
import { Session, sessionInternals } from './session.js';
import type { SessionClock } from './session-clock.js';
import type { SessionCookie } from './session-cookie.js';
import type { SessionKey } from './session-key.js';
import { withSessionMeta, type SessionMeta } from './session-meta.js';
import { replayOps, type OpTarget } from './session-ops.js';
import type { StateWriter } from './state-writer.js';
import type { StoreCalls } from './store-calls.js';

const { data, setState } = sessionInternals();

/** What a {@link CommitRunner} works with: one configuration's cookie, store, clocks and policies. */
export interface CommitContext {
  readonly cookie: SessionCookie;
  readonly store: StoreCalls;
  readonly writer: StateWriter;
  readonly clock: SessionClock;
  readonly policy: PlanPolicy;
  /** Called after a session with an owner was saved under a new key (`owners.maxSessionsPerOwner`). */
  readonly afterOwnedSave: ((meta: SessionMeta) => Promise<void>) | undefined;
  /** Reports that the state vanished while the request ran. */
  readonly vanished: () => void;
}

/**
 * Carries out a commit plan: the store calls and the `Set-Cookie` values. Decides nothing the
 * plan did not (see `planCommit`); what it adds is how: records carry their metadata, a changed
 * session is written through the {@link StateWriter} (compare-and-update, replaying the request's
 * writes on conflicts), and a persistent session's `Max-Age` follows the nearer timeout deadline.
 *
 * @example
 * ```ts
 * const cookies = await runner.run(rs, planCommit(input))
 * ```
 */
export class CommitRunner {
  constructor(private readonly context: CommitContext) {}

  run(rs: LoadedSession, plan: CommitPlan): MaybePromise<string[]> {
    const { cookie, store, clock } = this.context;
    const sessionKey = rs.from.sessionKey as SessionKey;
    switch (plan.kind) {
      case 'nothing':
        return plan.cookie === 'removal' ? [cookie.removal] : [];
      case 'save':
        return this.#saveNew(rs.session);
      case 'update':
      case 'touch':
        return this.#write(rs, sessionKey, plan.kind === 'touch');
      case 'delete':
        return store.delete(sessionKey).then(() => [cookie.removal]);
      case 'renew':
        return this.#renew(rs.session, sessionKey);
      case 'expire':
        return store.delete(rs.from.expiredKey as SessionKey).then(() => (plan.save ? this.#saveNew(rs.session) : [cookie.removal]));
      case 'extend': {
        const meta = data(rs.session).meta;
        const resend = (): MaybePromise<string[]> => (plan.resendCookie ? andThen(this.#cookieFor(rs, sessionKey, meta), (c) => [c]) : []);
        return plan.updateTtl ? store.updateTtl(sessionKey, clock.ttlFor(meta)).then(resend) : resend();
      }
    }
  }

  /** Saves the session under a new key (a new visitor, a renewal, a login after expiry). */
  async #saveNew(session: Session): Promise<string[]> {
    const { store, cookie, clock } = this.context;
    const { state, meta } = data(session);
    const stamped = clock.stamp(meta, true);
    const sessionKey = await store.save(record(state, stamped), clock.ttlFor(stamped));
    const issued = await cookie.issue(sessionKey, 'save', this.#maxAge(stamped));
    if (stamped.owner !== undefined) await this.context.afterOwnedSave?.(stamped);
    return [issued];
  }

  async #renew(session: Session, sessionKey: SessionKey): Promise<string[]> {
    // Gone while we ran (a logout in another tab): moving it to a new key would resurrect it.
    if ((await this.context.store.delete(sessionKey)) === false) return this.#vanished();
    return this.#saveNew(session);
  }

  /** Writes a changed session (or an unchanged one's activity: a touch) under its key. */
  async #write(rs: LoadedSession, sessionKey: SessionKey, touch: boolean): Promise<string[]> {
    const { clock, policy } = this.context;
    const { loaded, state, meta, ops, activity } = data(rs.session);
    const stamped = clock.stamp(meta, activity);
    const rebuild = (base: SessionState): SessionState => {
      const fresh = new Session();
      setState(fresh, base);
      replayOps(fresh as unknown as OpTarget, ops ?? []);
      const replayed = data(fresh);
      return record(replayed.state, clock.stamp(replayed.meta, activity));
    };
    const next = await this.context.writer.write(sessionKey, loaded, record(state, stamped), rebuild);
    if (next === null) return this.#vanished();
    // A touch re-sends the cookie only when something a browser keeps changed: the key (the
    // cookie store's key is the state), the sealing key, or a persistent cookie's Max-Age.
    if (touch && next === sessionKey && !rs.rotated && !policy.persistent) return [];
    return [await this.#cookieFor(rs, next, stamped)];
  }

  #vanished(): string[] {
    this.context.vanished();
    return [this.context.cookie.removal];
  }

  /** The cookie for `sessionKey`: the incoming value re-sent when it already holds it, sealed under the first `Key`. */
  #cookieFor(rs: LoadedSession, sessionKey: unknown, meta: SessionMeta): MaybePromise<string> {
    const { from } = rs;
    const maxAge = this.#maxAge(meta);
    return from.cookieValue !== null && sessionKey === from.sessionKey && !from.rotated
      ? this.context.cookie.reissue(from.cookieValue, maxAge)
      : this.context.cookie.issue(sessionKey, 'update', maxAge);
  }

  /** A persistent cookie's `Max-Age` when a timeout deadline is nearer than the lifetime's. */
  #maxAge(meta: SessionMeta): number | undefined {
    const { clock, policy } = this.context;
    return policy.persistent && clock.timed ? clock.ttlFor(meta) : undefined;
  }
}

/** The record a store is given: a copy of the state with its metadata attached. */
function record(state: SessionState, meta: SessionMeta): SessionState {
  const copy = emptyState();
  for (const name of Object.keys(state)) copy[name] = state[name] as JsonValue;
  return withSessionMeta(copy, meta);
}
