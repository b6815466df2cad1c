import { planCommit, type CommitPlan, type PlanPolicy } from './commit-plan.js';
import { createCookieCodec } from './cookie-codec.js';
import { SessionError } from './errors.js';
import { emptyState, type SessionState } from './json.js';
import { andThen, settled, type MaybePromise } from './maybe-promise.js';
import { resolveOptions, type ResolvedOptions, type SessionOptions } from './options.js';
import { LoadedSession, type RequestSession } from './request-session.js';
import { Session, sessionInternals } from './session.js';
import { SessionCookie, type IncomingCookie } from './session-cookie.js';
import { eventEmitter, type SessionEvent } from './session-event.js';
import type { SessionKey } from './session-key.js';
import { createSetCookieWriter } from './set-cookie.js';
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
}

const { getState, setState } = sessionInternals();

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

/** The orchestrator: reads the cookie, loads the state, and executes the commit plan. */
class Lifecycle implements SessionManager {
  readonly cookieName: string;
  readonly #emit: (event: SessionEvent) => void;
  readonly #cookie: SessionCookie;
  readonly #store: StoreCalls;
  readonly #policy: PlanPolicy;

  constructor(config: ResolvedOptions) {
    const { cookie } = config;
    this.cookieName = cookie.name;
    this.#emit = eventEmitter(config.onEvent);
    const codec = createCookieCodec(cookie.name, config.keys, cookie.contentSecurity);
    this.#cookie = new SessionCookie(createSetCookieWriter(cookie, config.maxAgeSeconds), codec, (reason) =>
      this.#emit({ type: 'cookie-rejected', cookieName: this.cookieName, reason }),
    );
    this.#store = new StoreCalls(config.store, config.stateTtlSeconds);
    this.#policy = Object.freeze({
      everyRequest: config.lifecycle.extensionPolicy === 'on-every-request',
      persistent: config.maxAgeSeconds !== undefined,
    });
  }

  load(cookieHeader: string | null | undefined): MaybePromise<RequestSession> {
    return settled(() => andThen(this.#cookie.read(cookieHeader), (incoming) => this.#loadState(incoming)));
  }

  commit(rs: RequestSession, response?: ResponseInfo): MaybePromise<string[]> {
    return settled(() => {
      const loaded = this.#claim(rs);
      const state = getState(loaded.session);
      const plan = planCommit({
        loaded,
        status: loaded.session.status,
        stateEmpty: isEmpty(state),
        responseStatus: response?.status,
        policy: this.#policy,
      });
      const cookies = this.#execute(loaded, plan, state);
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
  #withState(incoming: IncomingCookie & { kind: 'opened' }, outcome: LoadOutcome): LoadedSession {
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
    const session = new Session();
    setState(session, Object.getPrototypeOf(state) === null ? state : Object.assign(emptyState(), state));
    return LoadedSession.opened(this, this.#policy, session, from);
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

  /** Carries out `plan`; the `Set-Cookie` values to send. */
  #execute(rs: LoadedSession, plan: CommitPlan, state: SessionState): MaybePromise<string[]> {
    const sessionKey = rs.from.sessionKey as SessionKey;
    switch (plan.kind) {
      case 'nothing':
        return plan.cookie === 'removal' ? [this.#cookie.removal] : [];
      case 'save':
        return this.#saveNew(state);
      case 'update':
        return this.#update(rs, sessionKey, state);
      case 'delete':
        return this.#store.delete(sessionKey).then(() => [this.#cookie.removal]);
      case 'renew':
        return this.#renew(sessionKey, state);
      case 'extend': {
        const resend = (): MaybePromise<string[]> => (plan.resendCookie ? andThen(this.#cookieFor(rs, sessionKey), (c) => [c]) : []);
        return plan.updateTtl ? this.#store.updateTtl(sessionKey).then(resend) : resend();
      }
    }
  }

  async #saveNew(state: SessionState): Promise<string[]> {
    return [await this.#cookie.issue(await this.#store.save(state), 'save')];
  }

  async #update(rs: LoadedSession, sessionKey: SessionKey, state: SessionState): Promise<string[]> {
    const next = await this.#store.update(sessionKey, state);
    // Gone while we ran (logout elsewhere, renewal, expiry): never resurrect it.
    if (next === null) return this.#vanished();
    return [await this.#cookieFor(rs, next)];
  }

  async #renew(sessionKey: SessionKey, state: SessionState): Promise<string[]> {
    // Gone while we ran (a logout in another tab): moving it to a new key would resurrect it.
    if ((await this.#store.delete(sessionKey)) === false) return this.#vanished();
    return this.#saveNew(state);
  }

  #vanished(): string[] {
    this.#emit({ type: 'state-missing', cookieName: this.cookieName, phase: 'commit' });
    return [this.#cookie.removal];
  }

  /** The cookie for `sessionKey`: the incoming value re-sent when it already holds it, sealed under the first `Key`. */
  #cookieFor(rs: LoadedSession, sessionKey: unknown): MaybePromise<string> {
    const { from } = rs;
    return from.cookieValue !== null && sessionKey === from.sessionKey && !from.rotated
      ? this.#cookie.reissue(from.cookieValue)
      : this.#cookie.issue(sessionKey, 'update');
  }

  /** Reports a `Secure` session cookie that a browser will drop (plain HTTP, not localhost). */
  #checkTransport(cookies: string[], transport: Transport): string[] {
    if (!this.#cookie.writer.secure || cookies.length === 0 || cookies[0] === this.#cookie.removal) return cookies;
    const host = droppingHost(transport);
    if (host !== undefined) this.#emit({ type: 'secure-cookie-over-http', cookieName: this.cookieName, host });
    return cookies;
  }
}

function isEmpty(state: SessionState): boolean {
  for (const _ in state) return false;
  return true;
}
