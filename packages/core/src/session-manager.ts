import { planCommit, type PlanPolicy } from './commit-plan.js';
import { CommitRunner } from './commit-runner.js';
import { createCookieCodec } from './cookie-codec.js';
import { LoadError, SessionError } from './errors.js';
import { emptyState, type SessionState } from './json.js';
import { andThen, settled, type MaybePromise } from './maybe-promise.js';
import { resolveOptions, type ResolvedOptions, type SessionOptions } from './options.js';
import type { OwnerRevocation, OwnerRevocationStore } from './owner-revocations.js';
import { createSessionOwners, type SessionOwners } from './owner-sessions.js';
import { LoadedSession, type LoadedFrom, type RequestSession } from './request-session.js';
import { Session, sessionInternals } from './session.js';
import { SessionClock } from './session-clock.js';
import { SessionCookie, type IncomingCookie } from './session-cookie.js';
import { eventEmitter, type SessionEvent } from './session-event.js';
import type { SessionKey } from './session-key.js';
import { sessionMetaOf, withSessionMeta, type SessionMeta } from './session-meta.js';
import { SessionStatus } from './session-status.js';
import type { SessionTimeouts } from './session-timeouts.js';
import { createSetCookieWriter } from './set-cookie.js';
import { StateWriter } from './state-writer.js';
import { StoreCalls, type LoadOutcome } from './store-calls.js';
import { droppingHost, type Transport } from './transport.js';

/** What the handler's response looked like, for the rules that depend on it. */
export interface ResponseInfo {
  /** The HTTP status; at 500 or more nothing is persisted (no half-done login survives a crash). */
  readonly status?: number;
  /**
   * How the request arrived, when the adapter knows: a `Secure` session cookie sent over plain
   * HTTP to a host other than localhost is reported (`secure-cookie-over-http`), since browsers
   * drop it.
   */
  readonly transport?: Transport;
}

/**
 * The framework-agnostic request lifecycle: strings in, strings out. `load` and `commit` return
 * a value when they need no I/O and a promise when they do, so `await` works everywhere and an
 * adapter has one code path; failures always come as a rejected promise, never a throw.
 *
 * @example
 * ```ts
 * const rs = await manager.load(req.headers.cookie)
 * await handler(rs.session)
 * for (const header of await manager.commit(rs, { status: res.statusCode })) res.appendHeader('Set-Cookie', header)
 * ```
 */
export interface SessionManager {
  /** The session cookie's name. */
  readonly cookieName: string;
  /**
   * Reads the session for a request from its `Cookie` header (`undefined`/`null` when absent).
   * Synchronous when that needs no I/O: no session cookie, one rejected before any crypto work,
   * or a cookie that opens without waiting whose state an in-process store answers at once
   * (`SessionStore.loadSync`).
   *
   * Never fails for bad input: a missing, oversize, tampered or foreign cookie gives an empty
   * session (and an `onEvent` report). Rejects only when the store fails (`LoadError`, with a
   * generic message and the store's error as `cause`): answer with an empty 500 and do not run
   * the handler.
   */
  load(cookieHeader: string | null | undefined): MaybePromise<RequestSession>;
  /**
   * Persists what the handler did (actix-session's decision table) and returns the `Set-Cookie`
   * header values to append (often none): synchronously when that needs neither the store nor
   * waiting on the codec (an unchanged session, a new visitor who wrote nothing, a 5xx
   * response…). Call it once per request, before the response head is sent. Rejects when the
   * store fails (`SaveError`, `UpdateError` or a `SessionError`, with generic messages): replace
   * the response with an empty 500.
   */
  commit(rs: RequestSession, response?: ResponseInfo): MaybePromise<string[]>;
  /** "A user's sessions": list an owner's sessions, revoke one, all, or all but the current one. */
  readonly owners: SessionOwners;
}

const { data, setState } = sessionInternals();

/**
 * Creates the request lifecycle for one configuration. Synchronous: every option is validated
 * here, so bad configuration fails at startup, never per request.
 *
 * @example
 * ```ts
 * const manager = createSessionManager({ store: new CookieSessionStore(), key: Key.generate() })
 * ```
 */
export function createSessionManager(options: SessionOptions): SessionManager {
  return new Lifecycle(resolveOptions(options));
}

/** The orchestrator: reads the cookie, loads the state, checks its clocks, plans and runs the commit. */
class Lifecycle implements SessionManager {
  readonly cookieName: string;
  readonly owners: SessionOwners;
  readonly #emit: (event: SessionEvent) => void;
  readonly #cookie: SessionCookie;
  readonly #store: StoreCalls;
  readonly #policy: PlanPolicy;
  readonly #clock: SessionClock;
  readonly #runner: CommitRunner;
  readonly #revocations: OwnerRevocationStore | undefined;

  constructor(config: ResolvedOptions) {
    const { cookie, lifecycle } = config;
    this.cookieName = cookie.name;
    this.#emit = eventEmitter(config.onEvent);
    const codec = createCookieCodec(cookie.name, config.keys, cookie.contentSecurity);
    this.#cookie = new SessionCookie(createSetCookieWriter(cookie, config.maxAgeSeconds), codec, (reason) =>
      this.#emit({ type: 'cookie-rejected', cookieName: this.cookieName, reason }),
    );
    this.#store = new StoreCalls(config.store);
    this.#clock = new SessionClock(lifecycle, config.stateTtlSeconds, config.now);
    this.#policy = Object.freeze({
      everyRequest: lifecycle.extensionPolicy === 'on-every-request',
      persistent: config.maxAgeSeconds !== undefined,
      idle: this.#clock.idle,
    });
    this.#revocations = config.owners.revocations;
    const owners = createSessionOwners({
      store: config.store,
      revocations: this.#revocations,
      clock: this.#clock,
      revocationTtlSeconds: revocationTtl(lifecycle),
    });
    this.owners = owners;
    const cap = config.owners.maxSessionsPerOwner;
    this.#runner = new CommitRunner({
      cookie: this.#cookie,
      store: this.#store,
      writer: new StateWriter(this.#store, (record) => this.#clock.ttlFor(sessionMetaOf(record) ?? {}), config.now),
      clock: this.#clock,
      policy: this.#policy,
      afterOwnedSave: cap === undefined ? undefined : (meta) => owners.enforceCap(meta.owner as string, meta.id, cap),
      vanished: () => this.#emit({ type: 'state-missing', cookieName: this.cookieName, phase: 'commit' }),
    });
  }

  load(cookieHeader: string | null | undefined): MaybePromise<RequestSession> {
    return settled(() => andThen(this.#cookie.read(cookieHeader), (incoming) => this.#loadState(incoming)));
  }

  commit(rs: RequestSession, response?: ResponseInfo): MaybePromise<string[]> {
    return settled(() => {
      const loaded = this.#claim(rs);
      const { status } = loaded.session;
      const { state, meta, activity } = data(loaded.session);
      const plan = planCommit({
        loaded,
        status,
        // An owner alone is worth keeping: it is what lists and revokes the session.
        stateEmpty: isEmpty(state) && meta.owner === undefined,
        responseStatus: response?.status,
        touchDue: loaded.hasKey && status === SessionStatus.Unchanged && this.#clock.touchDue(meta, activity),
        policy: this.#policy,
      });
      const cookies = this.#runner.run(loaded, plan);
      return response?.transport === undefined ? cookies : andThen(cookies, (sent) => this.#checkTransport(sent, response.transport!));
    });
  }

  #loadState(incoming: IncomingCookie): MaybePromise<LoadedSession> {
    if (incoming.kind === 'absent') return LoadedSession.fresh(this, this.#policy);
    if (incoming.kind === 'rejected') return LoadedSession.ignoredCookie(this, this.#policy);
    if (incoming.keyIndex > 0) this.#emit({ type: 'key-rotated', cookieName: this.cookieName, keyIndex: incoming.keyIndex });
    return andThen(this.#store.load(incoming.sessionKey), (outcome) => this.#withState(incoming, outcome));
  }

  /** The request session once the store answered for the cookie `incoming`. */
  #withState(incoming: IncomingCookie & { kind: 'opened' }, outcome: LoadOutcome): MaybePromise<LoadedSession> {
    const from = { sessionKey: incoming.sessionKey, cookiePresent: true, rotated: incoming.keyIndex > 0, cookieValue: incoming.value };
    if (outcome.kind === 'unreadable') {
      // The record is unreadable but the key is ours: start empty and overwrite it later.
      this.#emit({ type: 'state-invalid', cookieName: this.cookieName, error: outcome.error });
      return LoadedSession.opened(this, this.#policy, new Session(), from);
    }
    const { state } = outcome;
    if (state === null) {
      // Expired or deleted: forget the key so that a write saves under a fresh one.
      this.#emit({ type: 'state-missing', cookieName: this.cookieName, phase: 'load' });
      return LoadedSession.ignoredCookie(this, this.#policy);
    }
    const meta = sessionMetaOf(state) ?? {};
    // A cookie-store session of an owner whose sessions were revoked (an owner stamp): checked
    // only for sessions with an owner, so other requests never touch the revocation store.
    if (this.#revocations !== undefined && meta.owner !== undefined) {
      return this.#revocations.get(meta.owner).then(
        (revocation) => (isRevoked(meta, revocation) ? this.#ended(from, { type: 'session-revoked', cookieName: this.cookieName }) : this.#opened(state, meta, from)),
        (error: unknown) => {
          throw new LoadError('other', undefined, { cause: error });
        },
      );
    }
    return this.#opened(state, meta, from);
  }

  /** A loaded session, unless its idle or absolute deadline has passed. */
  #opened(state: SessionState, meta: SessionMeta, from: LoadedFrom): LoadedSession {
    const reason = this.#clock.expiry(meta);
    if (reason !== undefined) return this.#ended(from, { type: 'session-expired', cookieName: this.cookieName, reason });
    const session = new Session();
    if (Object.getPrototypeOf(state) !== null) state = withSessionMeta(Object.assign(emptyState(), state), sessionMetaOf(state));
    setState(session, state);
    return LoadedSession.opened(this, this.#policy, session, from, this.#clock.touchDue(meta, true));
  }

  /** A session that ended (a deadline passed, or revoked): empty, its record deleted at commit. */
  #ended(from: LoadedFrom, event: SessionEvent): LoadedSession {
    this.#emit(event);
    return LoadedSession.expired(this, this.#policy, from.sessionKey as SessionKey);
  }

  /** The request session `rs`, checked to be this manager's and not yet committed. */
  #claim(rs: RequestSession): LoadedSession {
    if (!(rs instanceof LoadedSession) || rs.manager !== this) {
      throw new SessionError('MISUSE', 'commit() was given a request session that this manager did not load');
    }
    if (rs.committed) throw new SessionError('MISUSE', 'commit() was called twice for the same request session');
    rs.committed = true;
    return rs;
  }

  /** Reports a `Secure` session cookie that a browser will drop (plain HTTP, not localhost). */
  #checkTransport(cookies: string[], transport: Transport): string[] {
    if (!this.#cookie.writer.secure || cookies.length === 0 || cookies[0] === this.#cookie.removal) return cookies;
    const host = droppingHost(transport);
    if (host !== undefined) this.#emit({ type: 'secure-cookie-over-http', cookieName: this.cookieName, host });
    return cookies;
  }
}

/** Whether a revocation of the owner's sessions covers the session with metadata `meta`. */
function isRevoked(meta: SessionMeta, revocation: OwnerRevocation | null): boolean {
  if (revocation === null || meta.id === revocation.except) return false;
  // Seconds: a session made in the very second of the revocation counts as revoked (the safe side).
  return meta.created === undefined || meta.created <= revocation.before;
}

/** How long an owner revocation must be kept: until every session it revokes has timed out anyway. */
function revocationTtl(timeouts: SessionTimeouts): number | undefined {
  const { idleTimeoutSeconds: idle, absoluteTimeoutSeconds: absolute } = timeouts;
  if (idle === undefined) return absolute;
  return absolute === undefined ? idle : Math.min(idle, absolute);
}

function isEmpty(state: SessionState): boolean {
  for (const _ in state) return false;
  return true;
}
