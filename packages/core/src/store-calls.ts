import { LoadError, SaveError, SessionError, storeErrorKind, UpdateError } from './errors.js';
import type { SessionState } from './json.js';
import type { MaybePromise } from './maybe-promise.js';
import type { SessionKey } from './session-key.js';
import type { CompareAndUpdateResult, SessionStore } from './session-store.js';

/** What loading a state gave: the state (or `null`), or a record the store could not decode. */
export type LoadOutcome =
  | { readonly kind: 'state'; readonly state: SessionState | null }
  | { readonly kind: 'unreadable'; readonly error: LoadError };

/**
 * The lifecycle's calls to the store, and the one place store errors are translated: every
 * failure is re-thrown with a generic message and the store's error kept as `cause`, so nothing
 * of the store's wording can reach a client, even through a development error page. A record
 * that cannot be decoded is not a failure but an outcome (actix-session starts empty on it).
 *
 * @example
 * ```ts
 * const calls = new StoreCalls(store, 86_400)
 * const outcome = await calls.load(sessionKey)
 * ```
 */
export class StoreCalls {
  constructor(readonly store: SessionStore) {}

  /** Whether the store offers `compareAndUpdate`. */
  get canCompare(): boolean {
    return typeof this.store.compareAndUpdate === 'function';
  }

  /** Loads the state under `sessionKey`: synchronously through `loadSync` when the store answers so. */
  load(sessionKey: SessionKey): MaybePromise<LoadOutcome> {
    if (this.store.loadSync !== undefined) {
      let now: SessionState | null | undefined;
      try {
        now = this.store.loadSync(sessionKey);
      } catch (error) {
        return loadFailed(error);
      }
      if (now !== undefined) return checked(now);
    }
    return this.store.load(sessionKey).then(checked, loadFailed);
  }

  async save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    try {
      return await this.store.save(state, ttlSeconds);
    } catch (error) {
      throw new SaveError(storeErrorKind(error, 'STORE_SAVE'), undefined, { cause: error });
    }
  }

  async update(sessionKey: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    try {
      return await this.store.update(sessionKey, state, ttlSeconds);
    } catch (error) {
      throw new UpdateError(storeErrorKind(error, 'STORE_UPDATE'), undefined, { cause: error });
    }
  }

  /** `compareAndUpdate`, which the caller checked the store has (`canCompare`). */
  async compareAndUpdate(
    sessionKey: SessionKey,
    expected: SessionState,
    state: SessionState,
    ttlSeconds: number,
  ): Promise<CompareAndUpdateResult> {
    try {
      return await (this.store as Required<SessionStore>).compareAndUpdate(sessionKey, expected, state, ttlSeconds);
    } catch (error) {
      throw new UpdateError(storeErrorKind(error, 'STORE_UPDATE'), undefined, { cause: error });
    }
  }

  async updateTtl(sessionKey: SessionKey, ttlSeconds: number): Promise<void> {
    try {
      await this.store.updateTtl(sessionKey, ttlSeconds);
    } catch (error) {
      throw new SessionError('STORE_UPDATE_TTL', 'Something went wrong when extending the session state TTL', {
        cause: error,
      });
    }
  }

  /** Deletes the record; `false` when the store reports there was none. */
  async delete(sessionKey: SessionKey): Promise<boolean | void> {
    try {
      return await this.store.delete(sessionKey);
    } catch (error) {
      throw new SessionError('STORE_DELETE', 'Something went wrong when deleting the session state', { cause: error });
    }
  }
}

/** A loaded value that is not an object is a record the store could not decode. */
function checked(state: SessionState | null): LoadOutcome {
  if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
    return { kind: 'unreadable', error: new LoadError('deserialization', 'The store returned a state that is not an object') };
  }
  return { kind: 'state', state };
}

/** An unreadable record is an outcome; any other failure fails the request (an opaque 500). */
function loadFailed(error: unknown): LoadOutcome {
  if (storeErrorKind(error, 'STORE_LOAD') !== 'deserialization') throw new LoadError('other', undefined, { cause: error });
  return { kind: 'unreadable', error: error as LoadError };
}
