import { LoadError, SaveError, SessionConfigError, storeErrorKind, UpdateError } from '../errors.js';
import type { SessionState } from '../json.js';
import { isValidSessionKey, SESSION_KEY_MAX_BYTES, type SessionKey } from '../session-key.js';
import type { SessionStore } from '../session-store.js';
import { deserializeState, serializeState } from '../state-format.js';
import { utf8ByteLength } from '../utf8.js';

/**
 * Keeps the whole state in the cookie itself (actix-session's `CookieSessionStore`): the
 * "session key" is the serialised state, which the lifecycle then encrypts or signs.
 *
 * No server storage and nothing to clean up, but:
 * - a state is limited to 4064 bytes, and the sealed `name=value` to 4096 bytes (larger
 *   states fail with `SaveError`, an opaque 500, rather than a cookie browsers would drop);
 * - a session cannot be revoked before it expires: a copied cookie stays valid, even after
 *   logout (use a server-side store when that matters);
 * - under a browser session nothing expires server-side; under a persistent session expiry
 *   rests on the browser honouring `Max-Age`.
 *
 * @example
 * ```ts
 * createSessionManager({ store: new CookieSessionStore(), key })
 * ```
 */
export class CookieSessionStore implements SessionStore {
  /**
   * Takes no options: the cookie's attributes and lifetime are `createSessionManager`'s `cookie`
   * and `lifecycle` options. An option passed anyway (say `{ maxAge }`, from another library)
   * throws `SessionConfigError` naming it rather than being silently ignored.
   */
  constructor(options?: Record<string, never>) {
    if (options === undefined) return;
    if (typeof options !== 'object' || options === null) {
      throw new SessionConfigError('options', 'CookieSessionStore takes no options');
    }
    const [name] = Object.keys(options);
    if (name !== undefined) {
      throw new SessionConfigError(
        name,
        'is not an option: CookieSessionStore takes none; the cookie is set by the cookie and lifecycle options of createSessionManager/sessionMiddleware',
      );
    }
  }

  /** Decodes the state carried by the cookie; anything undecodable is a `deserialization` error. */
  async load(key: SessionKey): Promise<SessionState | null> {
    return this.#read(key);
  }

  /**
   * `load`, synchronously (see `SessionStore.loadSync`): the lifecycle reads the cookie store
   * without a promise. Defers to `load` (returns `undefined`) when a subclass or a spy replaced it,
   * so their `load` is always the one called.
   */
  loadSync(key: SessionKey): SessionState | null | undefined {
    return this.load === CookieSessionStore.prototype.load ? this.#read(key) : undefined;
  }

  #read(key: SessionKey): SessionState | null {
    try {
      return deserializeState(key);
    } catch (error) {
      // The parser's message quotes the input; keep it only as the cause.
      throw new LoadError('deserialization', 'The session cookie does not hold a valid session state', {
        cause: error,
      });
    }
  }

  /** Serialises the state into the key. Atomic by construction: nothing is stored server-side. */
  async save(state: SessionState, _ttlSeconds: number): Promise<SessionKey> {
    let key: string;
    try {
      key = serializeState(state);
    } catch (error) {
      throw new SaveError('serialization', undefined, { cause: error });
    }
    if (!isValidSessionKey(key)) {
      throw new SaveError(
        'other',
        `The session state is ${utf8ByteLength(key)} bytes once serialised; a cookie can carry at most ${SESSION_KEY_MAX_BYTES}`,
      );
    }
    return key;
  }

  /** Same as `save`: the new state is the new key. Never returns `null` (nothing can vanish). */
  async update(_key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    try {
      return await this.save(state, ttlSeconds);
    } catch (error) {
      throw new UpdateError(storeErrorKind(error, 'STORE_SAVE'), (error as Error).message, { cause: error });
    }
  }

  /** Nothing to do: the cookie's `Max-Age` is re-sent by the lifecycle. */
  async updateTtl(_key: SessionKey, _ttlSeconds: number): Promise<void> {}

  /** Nothing to do: the lifecycle removes the cookie. A copy of it stays valid (see above). */
  async delete(_key: SessionKey): Promise<void> {}
}
