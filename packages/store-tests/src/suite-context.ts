import type { SessionKey, SessionState, SessionStore } from '@sess/core';
import type { StoreInspector } from './fixture.js';

/**
 * What a group of the suite sees of the current test's store: read it inside tests (a fresh
 * fixture is created before each one).
 *
 * @example
 * ```ts
 * it('…', async () => { const key = await ctx.store.save(stateOf({ n: 1 }), 60) })
 * ```
 */
export interface SuiteContext {
  readonly store: SessionStore;
  readonly inspect: StoreInspector;
  /** Lets `seconds` pass for the store: its own clock if it has one, else real time. */
  elapse(seconds: number): Promise<void>;
  /** `load(key)` gives a state equal to `expected`. */
  expectLoads(key: SessionKey, expected: SessionState): Promise<void>;
  /** `load(key)` gives `null` (and the backend holds nothing, when it can tell). */
  expectGone(key: SessionKey): Promise<void>;
  /** The backend's TTL of `key` is within 2 seconds below `ttlSeconds`, when it can tell. */
  expectTtlNear(key: SessionKey, ttlSeconds: number): Promise<void>;
}
