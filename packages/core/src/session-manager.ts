import { parse } from 'cookie';
import { BoundedCache } from './bounded-cache.js';
import { createCookieCodec } from './cookie-codec.js';
import { LoadError, SaveError, SessionError, storeErrorKind, UpdateError } from './errors.js';
import { immediateLoad } from './immediate-load.js';
import { emptyState, type SessionState } from './json.js';
import { resolveOptions, type SessionOptions } from './options.js';
import { percentDecodeCookieValue, percentEncodeCookieValue } from './percent-encoding.js';
import { Session, sessionInternals } from './session.js';
import type { SessionEvent } from './session-event.js';
import { isValidSessionKey, type SessionKey } from './session-key.js';
import { SessionStatus } from './session-status.js';
import { createSetCookieWriter } from './set-cookie.js';

/** What browsers keep of one cookie's `name=value` (RFC 6265 §6.1). */
export const COOKIE_MAX_BYTES = 4096;

/**
 * How many opened cookie values each manager remembers. A browser sends the same sealed value on
 * every request until it changes, and opening it costs a Web Crypto call (tens of microseconds
 * on Node): remembering the result makes repeated requests of a session free of crypto work.
 */
const OPENED_CACHE_ENTRIES = 1000;

/** A cookie value that opened, and with which key of the list. */
interface Opened {
  readonly sessionKey: SessionKey;
  readonly keyIndex: number;
}

/**
 * One request's session, from `manager.load` to `manager.commit`. Adapters hand
 * `session` to the handler and give the object back to `commit` afterwards.
 */
export interface RequestSession {
  /** The session the handler reads and writes. */
  readonly session: Session;
}

/** What the handler's response looked like, for rules that depend on it. */
export interface ResponseInfo {
  /** The HTTP status; at 500 or more nothing is persisted (no half-done login survives a crash). */
  readonly status?: number;
}

/**
 * The framework-agnostic request lifecycle: strings in, strings out.
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
   *
   * Never throws for bad input: a missing, oversize, tampered or foreign cookie gives an empty
   * session (and an `onEvent` report). Rejects only when the store fails (`LoadError`, with a
   * generic message and the store's error as `cause`): answer with an empty 500 and do not
   * run the handler.
   */
  load(cookieHeader: string | null | undefined): Promise<RequestSession>;
  /**
   * `load`, when it needs no codec work and no asynchronous store call: no session cookie, one
   * rejected before any crypto work, or a cookie opened before whose state the memory or cookie
   * store holds. Returns the request session at once (and throws what `load` would reject with),
   * or `undefined` when the codec or the store must run: then call `load`. Lets an adapter skip a
   * promise for most requests.
   */
  tryLoadSync(cookieHeader: string | null | undefined): RequestSession | undefined;
  /**
   * Persists what the handler did (actix-session's decision table) and returns the
   * `Set-Cookie` header values to append (often none). Call it once per request, before the
   * response head is sent. Rejects when the store fails (`SaveError`, `UpdateError` or a
   * `SessionError`, with generic messages): replace the response with an empty 500.
   */
  commit(rs: RequestSession, response?: ResponseInfo): Promise<string[]>;
  /**
   * `commit`, when its outcome needs neither the store nor the cookie codec (an unchanged
   * session, a new visitor who wrote nothing, a 5xx response…): returns the `Set-Cookie` values
   * (often none) and the request session counts as committed. Returns `undefined`, committing
   * nothing, when the store or the codec must run: then call `commit`. Lets an adapter that holds
   * the response head while `commit` runs (Express) skip holding it for most requests.
   */
  tryCommitSync(rs: RequestSession, response?: ResponseInfo): string[] | undefined;
  /**
   * Calls `listener` once, synchronously, when committing `rs` may have work to do: at once when
   * it already has (a cookie read with an older key to re-issue, a TTL to extend on every
   * request), otherwise the moment the handler first changes the session (`insert`, `remove`,
   * `clear`, `purge`, `renew`…). While it has not been called, committing would send no cookie
   * and call no store method, so an adapter may skip `commit` altogether: Express hooks the
   * response head only for requests that need it.
   *
   * @example
   * ```ts
   * manager.onCommitNeeded(rs, () => holdResponseHead(res))
   * ```
   */
  onCommitNeeded(rs: RequestSession, listener: () => void): void;
}

class LoadedSession implements RequestSession {
  committed = false;

  constructor(
    readonly owner: SessionManager,
    readonly session: Session,
    /** The key whose state was loaded; `null` when there is none to update. */
    readonly key: SessionKey | null,
    /** A cookie with the session's name came in (valid or not). */
    readonly cookiePresent: boolean,
    /** The cookie opened with an older key and must be re-issued under the first. */
    readonly rotated: boolean,
    /** The incoming cookie's value (still encoded) when it opened to `key`: re-sent as is when the key stays. */
    readonly sealed: string | null = null,
  ) {}
}

/** A session cookie that still has to be opened or looked up in the store. */
interface PendingLoad {
  /** The cookie value as sent (unquoted, still percent-encoded). */
  readonly raw: string;
  /** What the value opened to before, when it is in the cache. */
  readonly hit: Opened | undefined;
}

const keepRaw = (value: string): string => value;
const { getState, setState, onFirstChange } = sessionInternals();

/**
 * Creates the request lifecycle for one configuration. Synchronous: every option is
 * validated here, so bad configuration fails at startup, never per request.
 *
 * @example
 * ```ts
 * const manager = createSessionManager({ store: new CookieSessionStore(), key: Key.generate() })
 * ```
 */
export function createSessionManager(options: SessionOptions): SessionManager {
  const config = resolveOptions(options);
  const { store, cookie, stateTtlSeconds, onEvent } = config;
  const cookieName = cookie.name;
  const codec = createCookieCodec(cookieName, config.keys, cookie.contentSecurity);
  // Keyed by the exact canonical header value: the same text always opens to the same key.
  const opened = new BoundedCache<string, Opened>(OPENED_CACHE_ENTRIES);
  const writer = createSetCookieWriter(cookie, config.maxAgeSeconds);
  const everyRequest = config.lifecycle.extensionPolicy === 'on-every-request';
  const persistent = config.maxAgeSeconds !== undefined;
  // The memory and cookie stores answer without a promise: a remembered cookie then loads in this tick.
  const loadImmediately = immediateLoad(store);

  const emit = (event: SessionEvent): void => {
    if (onEvent === undefined) return;
    try {
      onEvent(event);
    } catch {
      // A failing logger must not turn into failing requests; onEvent is documented not to throw.
    }
  };

  const reject = (reason: Extract<SessionEvent, { type: 'cookie-rejected' }>['reason']): LoadedSession => {
    emit({ type: 'cookie-rejected', cookieName, reason });
    return new LoadedSession(manager, new Session(), null, true, false);
  };

  /** Seals a store key into a `Set-Cookie` value, within the browser's size budget. */
  const sessionCookie = async (key: unknown, phase: 'save' | 'update'): Promise<string> => {
    const Failure = phase === 'save' ? SaveError : UpdateError;
    if (!isValidSessionKey(key)) {
      throw new Failure('other', undefined, {
        cause: new Error('The store returned a session key that is not a string of at most 4064 bytes'),
      });
    }
    const value = percentEncodeCookieValue(await codec.seal(key));
    const bytes = cookieName.length + 1 + value.length;
    if (bytes > COOKIE_MAX_BYTES) {
      throw new Failure('other', undefined, {
        cause: new Error(
          `The session cookie would be ${bytes} bytes, over the ${COOKIE_MAX_BYTES} bytes browsers keep; store less in the session or use a server-side store`,
        ),
      });
    }
    // The browser sends this value back next time: it then opens without crypto work.
    opened.set(value, { sessionKey: key, keyIndex: 0 });
    return writer.session(value);
  };

  /** The cookie for `key`: the incoming sealed value when it already holds `key` under the current key. */
  const cookieFor = (rs: LoadedSession, key: unknown, phase: 'save' | 'update'): Promise<string> | string =>
    rs.sealed !== null && key === rs.key && !rs.rotated ? writer.session(rs.sealed) : sessionCookie(key, phase);

  // Store calls: every failure is re-thrown with a generic message, the store's error kept as
  // `cause`, so nothing of the store's wording can reach a client even via an error page.
  const save = async (state: SessionState): Promise<SessionKey> => {
    try {
      return await store.save(state, stateTtlSeconds);
    } catch (error) {
      throw new SaveError(storeErrorKind(error, 'STORE_SAVE'), undefined, { cause: error });
    }
  };
  const update = async (key: SessionKey, state: SessionState): Promise<SessionKey | null> => {
    try {
      return await store.update(key, state, stateTtlSeconds);
    } catch (error) {
      throw new UpdateError(storeErrorKind(error, 'STORE_UPDATE'), undefined, { cause: error });
    }
  };
  const remove = async (key: SessionKey): Promise<boolean | void> => {
    try {
      return await store.delete(key);
    } catch (error) {
      throw new SessionError('STORE_DELETE', 'Something went wrong when deleting the session state', { cause: error });
    }
  };
  const updateTtl = async (key: SessionKey): Promise<void> => {
    try {
      await store.updateTtl(key, stateTtlSeconds);
    } catch (error) {
      throw new SessionError('STORE_UPDATE_TTL', 'Something went wrong when extending the session state TTL', {
        cause: error,
      });
    }
  };

  /** The request session `rs`, checked to be this manager's and not yet committed. */
  const claim = (rs: RequestSession, method: string): LoadedSession => {
    if (!(rs instanceof LoadedSession) || rs.owner !== manager) {
      throw new SessionError('MISUSE', `${method}() was given a request session that this manager did not load`);
    }
    if (rs.committed) throw new SessionError('MISUSE', `${method}() was called twice for the same request session`);
    return rs;
  };

  /** What commit returns when that needs no store call and no sealing; `undefined` otherwise. */
  const outcomeWithoutIo = (rs: LoadedSession, response: ResponseInfo | undefined): string[] | undefined => {
    // Django's rule: a failed response persists nothing, so a handler that logs a user in
    // and then crashes leaves no half-made session behind.
    if (response?.status !== undefined && response.status >= 500) return [];
    const status = rs.session.status;
    if (rs.key === null) {
      if (status === SessionStatus.Purged) return rs.cookiePresent ? [writer.removal] : [];
      // A visitor without a session who wrote nothing gets no cookie and costs no store call.
      return isEmpty(getState(rs.session)) ? [] : undefined;
    }
    // Unchanged, without TTL extension or key rotation: nothing to persist, no cookie to send.
    return status === SessionStatus.Unchanged && !everyRequest && !rs.rotated ? [] : undefined;
  };

  /** The part of `load` that needs no codec and no store: a request session, or what is left to do. */
  const begin = (cookieHeader: string | null | undefined): LoadedSession | PendingLoad => {
    if (!cookieHeader) return new LoadedSession(manager, new Session(), null, false, false);
    // The first cookie with the session's name wins, as in actix-web.
    let raw = parse(cookieHeader, { decode: keepRaw })[cookieName];
    if (raw === undefined) return new LoadedSession(manager, new Session(), null, false, false);
    // Checked on the raw header text, before any decoding or crypto work.
    if (cookieName.length + 1 + raw.length > COOKIE_MAX_BYTES) return reject('oversize');
    if (raw.length >= 2 && raw.charCodeAt(0) === 0x22 && raw.charCodeAt(raw.length - 1) === 0x22) {
      raw = raw.slice(1, -1);
    }
    return { raw, hit: opened.get(raw) };
  };

  /** Opens a cookie value not seen before (and remembers it), or rejects it. */
  const open = async (raw: string): Promise<Opened | LoadedSession> => {
    // Only the canonical encoding we (and actix-session) write is ours: `%2f` for `%2F`, or an
    // unescaped `/`, is a re-encoded cookie, rejected like any other alteration.
    const value = percentDecodeCookieValue(raw);
    if (value === null || percentEncodeCookieValue(value) !== raw) return reject('malformed-encoding');
    const result = await codec.open(value);
    if (!result.ok) return reject(result.reason);
    if (!isValidSessionKey(result.plaintext)) return reject('invalid-session-key');
    const hit = { sessionKey: result.plaintext, keyIndex: result.keyIndex };
    opened.set(raw, hit);
    return hit;
  };

  const noteRotation = (hit: Opened): void => {
    if (hit.keyIndex > 0) emit({ type: 'key-rotated', cookieName, keyIndex: hit.keyIndex });
  };

  /** The request session once the store answered `state` for the cookie `raw`. */
  const withState = (hit: Opened, raw: string, state: SessionState | null): LoadedSession => {
    const rotated = hit.keyIndex > 0;
    if (state === null) {
      // Expired or deleted: forget the key so that a write saves under a fresh one.
      emit({ type: 'state-missing', cookieName, phase: 'load' });
      return new LoadedSession(manager, new Session(), null, true, false);
    }
    if (typeof state !== 'object' || Array.isArray(state)) {
      const error = new LoadError('deserialization', 'The store returned a state that is not an object');
      emit({ type: 'state-invalid', cookieName, error });
      return new LoadedSession(manager, new Session(), hit.sessionKey, true, rotated, raw);
    }
    const session = new Session();
    setState(session, Object.getPrototypeOf(state) === null ? state : Object.assign(emptyState(), state));
    return new LoadedSession(manager, session, hit.sessionKey, true, rotated, raw);
  };

  /** The request session when the store failed to load the state for the cookie `raw`. */
  const loadFailed = (hit: Opened, raw: string, error: unknown): LoadedSession => {
    if (storeErrorKind(error, 'STORE_LOAD') !== 'deserialization') throw new LoadError('other', undefined, { cause: error });
    // The record is unreadable but the key is ours: start empty and overwrite it later.
    emit({ type: 'state-invalid', cookieName, error: error as LoadError });
    return new LoadedSession(manager, new Session(), hit.sessionKey, true, hit.keyIndex > 0, raw);
  };

  const manager: SessionManager = {
    cookieName,

    async load(cookieHeader) {
      const step = begin(cookieHeader);
      if (step instanceof LoadedSession) return step;
      let hit = step.hit;
      if (hit === undefined) {
        const result = await open(step.raw);
        if (result instanceof LoadedSession) return result;
        hit = result;
      }
      noteRotation(hit);
      let state: SessionState | null;
      try {
        state = await store.load(hit.sessionKey);
      } catch (error) {
        return loadFailed(hit, step.raw, error);
      }
      return withState(hit, step.raw, state);
    },

    tryLoadSync(cookieHeader) {
      const step = begin(cookieHeader);
      if (step instanceof LoadedSession) return step;
      const hit = step.hit;
      if (hit === undefined || loadImmediately === undefined) return undefined;
      let state: SessionState | null | undefined;
      try {
        state = loadImmediately(hit.sessionKey);
      } catch (error) {
        noteRotation(hit);
        return loadFailed(hit, step.raw, error);
      }
      if (state === undefined) return undefined;
      noteRotation(hit);
      return withState(hit, step.raw, state);
    },

    onCommitNeeded(rs, listener) {
      const loaded = claim(rs, 'onCommitNeeded');
      // An unchanged session commits to nothing unless its key must be re-issued or extended
      // (see outcomeWithoutIo); any change may need the store or the codec.
      if ((loaded.key !== null && (everyRequest || loaded.rotated)) || loaded.session.status !== SessionStatus.Unchanged) {
        listener();
      } else {
        onFirstChange(loaded.session, listener);
      }
    },

    tryCommitSync(rs, response) {
      const loaded = claim(rs, 'tryCommitSync');
      const outcome = outcomeWithoutIo(loaded, response);
      if (outcome !== undefined) loaded.committed = true;
      return outcome;
    },

    async commit(request, response) {
      const rs = claim(request, 'commit');
      rs.committed = true;
      const outcome = outcomeWithoutIo(rs, response);
      if (outcome !== undefined) return outcome;

      const { session, key } = rs;
      const status = session.status;
      const state = getState(session);
      // The cases without store calls or sealing were answered above.
      if (key === null) return [await sessionCookie(await save(state), 'save')];
      switch (status) {
        case SessionStatus.Changed: {
          const next = await update(key, state);
          if (next === null) {
            // Gone while we ran (logout elsewhere, renewal, expiry): never resurrect it.
            emit({ type: 'state-missing', cookieName, phase: 'commit' });
            return [writer.removal];
          }
          return [await cookieFor(rs, next, 'update')];
        }
        case SessionStatus.Purged:
          await remove(key);
          return [writer.removal];
        case SessionStatus.Renewed:
          if ((await remove(key)) === false) {
            // Gone while we ran (a logout in another tab): moving it to a new key would resurrect it.
            emit({ type: 'state-missing', cookieName, phase: 'commit' });
            return [writer.removal];
          }
          return [await sessionCookie(await save(state), 'save')];
        default:
          if (everyRequest) await updateTtl(key);
          if (rs.rotated || (everyRequest && persistent)) return [await cookieFor(rs, key, 'update')];
          return [];
      }
    },
  };
  return manager;
}

function isEmpty(state: SessionState): boolean {
  for (const _ in state) return false;
  return true;
}
