import type { SessionStore } from '@sess/core';

/**
 * A store wrapper that records the name of every method called, so a test can prove that a
 * request cost the store nothing.
 *
 * @example
 * ```ts
 * const counted = countingStore(new MemorySessionStore())
 * expect(counted.calls).toEqual([])
 * ```
 */
export interface CountingStore {
  readonly store: SessionStore;
  /** Method names in call order, e.g. `['load', 'update']`. */
  readonly calls: string[];
}

/**
 * Wraps `inner`, recording each call before passing it on.
 *
 * @example
 * ```ts
 * const { store, calls } = countingStore(inner)
 * ```
 */
export function countingStore(inner: SessionStore): CountingStore {
  const calls: string[] = [];
  const store: SessionStore = {
    load: (key) => (calls.push('load'), inner.load(key)),
    save: (state, ttl) => (calls.push('save'), inner.save(state, ttl)),
    update: (key, state, ttl) => (calls.push('update'), inner.update(key, state, ttl)),
    updateTtl: (key, ttl) => (calls.push('updateTtl'), inner.updateTtl(key, ttl)),
    delete: (key) => (calls.push('delete'), inner.delete(key)),
  };
  return { store, calls };
}
