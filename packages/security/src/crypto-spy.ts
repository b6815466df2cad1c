/** The Web Crypto operations that seal or open a cookie (plus key import and hashing). */
const OPERATIONS = ['decrypt', 'encrypt', 'sign', 'verify', 'importKey', 'digest'] as const;

/**
 * Counts calls to `crypto.subtle` in this process: the test servers run in the jest process, so
 * every bit of crypto work they do on a request is seen.
 *
 * @example
 * ```ts
 * const spy = spyOnSubtleCrypto()
 * await send(url, { cookie: huge })
 * expect(spy.calls()).toBe(0)
 * spy.restore()
 * ```
 */
export interface SubtleCryptoSpy {
  /** Calls since creation or the last `reset()`. */
  calls(): number;
  reset(): void;
  restore(): void;
}

/**
 * Starts counting `crypto.subtle` calls (they still run normally).
 *
 * @example
 * ```ts
 * const spy = spyOnSubtleCrypto()
 * ```
 */
export function spyOnSubtleCrypto(): SubtleCryptoSpy {
  const spies = OPERATIONS.map((operation) => jest.spyOn(crypto.subtle, operation));
  return {
    calls: () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0),
    reset: () => spies.forEach((spy) => spy.mockClear()),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
