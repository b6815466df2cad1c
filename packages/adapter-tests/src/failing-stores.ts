import { LoadError, SaveError, type SessionKey, type SessionState, type SessionStore } from '@sess/core';

/**
 * The message actix's `errors_are_opaque` mock fails with; it must never reach a client.
 *
 * @example
 * ```ts
 * expect(res.body).not.toContain(STORE_SECRET)
 * ```
 */
export const STORE_SECRET = 'My error full of implementation details';

/**
 * actix's `MockStore` (`tests/opaque_errors.rs`): `load` always fails with a detailed error,
 * `save` answers the key `random_value`, everything else is unimplemented.
 *
 * @example
 * ```ts
 * await adapter.start(routes, { store: new FailingLoadStore(), key })
 * ```
 */
export class FailingLoadStore implements SessionStore {
  async load(_key: SessionKey): Promise<SessionState | null> {
    throw new LoadError('other', STORE_SECRET);
  }
  async save(_state: SessionState, _ttlSeconds: number): Promise<SessionKey> {
    return 'random_value';
  }
  async update(): Promise<SessionKey | null> {
    throw new Error('unimplemented');
  }
  async updateTtl(): Promise<void> {
    throw new Error('unimplemented');
  }
  async delete(): Promise<void> {
    throw new Error('unimplemented');
  }
}

/**
 * A store whose writes fail with a detailed error: a commit failure after the handler ran.
 *
 * @example
 * ```ts
 * await adapter.start(routes, { store: new FailingWriteStore(), key })
 * ```
 */
export class FailingWriteStore implements SessionStore {
  async load(_key: SessionKey): Promise<SessionState | null> {
    return null;
  }
  async save(_state: SessionState, _ttlSeconds: number): Promise<SessionKey> {
    throw new SaveError('other', STORE_SECRET);
  }
  async update(): Promise<SessionKey | null> {
    throw new SaveError('other', STORE_SECRET);
  }
  async updateTtl(): Promise<void> {
    throw new Error(STORE_SECRET);
  }
  async delete(): Promise<void> {
    throw new Error(STORE_SECRET);
  }
}
