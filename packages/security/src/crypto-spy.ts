/** The Web Crypto operations that seal or open a cookie (plus key import and hashing). */
const OPERATIONS = ['decrypt', 'encrypt', 'sign', 'verify', 'importKey', 'digest'] as const;
/** The `node:crypto` calls the core's synchronous codec makes, which it uses on Node instead. */
const NODE_OPERATIONS = ['createCipheriv', 'createDecipheriv', 'createHmac'] as const;

/**
 * Counts crypto calls in this process, through `crypto.subtle` and through `node:crypto` (the
 * core seals and opens with `node:crypto` where the runtime hands it out, Node included): the
 * test servers run in the jest process, so every bit of crypto work they do on a request is seen.
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
 * Starts counting `crypto.subtle` and `node:crypto` codec calls (they still run normally).
 *
 * @example
 * ```ts
 * const spy = spyOnSubtleCrypto()
 * ```
 */
export function spyOnSubtleCrypto(): SubtleCryptoSpy {
  // The module object itself, which the core's codec calls through (not an interop copy).
  const node = process.getBuiltinModule('node:crypto');
  const spies = [
    ...OPERATIONS.map((operation) => jest.spyOn(crypto.subtle, operation)),
    ...NODE_OPERATIONS.map((operation) => jest.spyOn(node, operation)),
  ];
  return {
    calls: () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0),
    reset: () => spies.forEach((spy) => spy.mockClear()),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
