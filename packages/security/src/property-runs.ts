import type fc from 'fast-check';

/**
 * fast-check settings for properties checked over HTTP: `numRuns` runs, and a time limit after
 * which the run stops and counts as failed. A failure is shrunk through real requests, which can
 * take long; without the limit jest's timeout would hide the counterexample.
 *
 * @example
 * ```ts
 * await fc.assert(property, overHttp(100))
 * ```
 */
export function overHttp<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  return { numRuns, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS, markInterruptAsFailure: true, ...extra };
}

/**
 * How long one property may run, shrinking included; jest's timeout for such tests is
 * {@link PROPERTY_TEST_TIMEOUT_MS}.
 *
 * @example
 * ```ts
 * test('…', async () => { … }, PROPERTY_TEST_TIMEOUT_MS)
 * ```
 */
export const PROPERTY_TIME_LIMIT_MS = 20_000;

/**
 * jest's timeout for a test that checks a property over HTTP: the property's time limit plus slack.
 *
 * @example
 * ```ts
 * test('…', async () => { … }, PROPERTY_TEST_TIMEOUT_MS)
 * ```
 */
export const PROPERTY_TEST_TIMEOUT_MS = PROPERTY_TIME_LIMIT_MS + 10_000;
