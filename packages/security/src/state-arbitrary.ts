import type { JsonValue, SessionState } from '@sess/core';
import fc from 'fast-check';

/**
 * Non-empty random session states: JSON values up to three levels deep, any Unicode, and keys that
 * include the prototype-polluting names (`__proto__`, `constructor`, `prototype`) and the empty
 * string. Each value has been through a JSON round trip (no `-0`), as a client would see it.
 *
 * @example
 * ```ts
 * fc.asyncProperty(sessionState, async (state) => { … })
 * ```
 */
export const sessionState: fc.Arbitrary<SessionState> = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''), fc.string({ unit: 'binary', maxLength: 12 })),
      fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((entries) => {
    // A null-prototype object: assigning `__proto__` creates plain data, as in a SessionState.
    const state = Object.create(null) as SessionState;
    for (const [name, value] of entries) state[name] = JSON.parse(JSON.stringify(value)) as JsonValue;
    return state;
  });
