/**
 * A clock the test moves (the core's `now` option and the memory store's), so timeouts, "last
 * seen" and revocation stamps are tested without sleeping. It starts at the real time, because
 * Redis computes expiry times from its own (real) TTLs.
 *
 * @example
 * ```ts
 * const clock = testClock()
 * const options = { store, key, now: clock.now }
 * clock.advance(16 * 60_000)
 * ```
 */
export interface TestClock {
  /** Milliseconds since the epoch, as `Date.now`. */
  readonly now: () => number;
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
}

/**
 * Creates a {@link TestClock} starting at `start` (default: now, rounded down to a whole second
 * so that timestamps kept in seconds compare exactly).
 *
 * @example
 * ```ts
 * const clock = testClock()
 * ```
 */
export function testClock(start: number = Math.floor(Date.now() / 1000) * 1000): TestClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}
