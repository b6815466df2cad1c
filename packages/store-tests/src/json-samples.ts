import type { JsonValue, SessionState } from '@sess/core';

/**
 * Values of every JSON type, and the awkward corners of each, that a store must give back
 * unchanged. Each is small enough for a cookie-backed store.
 *
 * @example
 * ```ts
 * for (const [label, value] of JSON_SAMPLES) await roundTrip(stateOf({ value }))
 * ```
 */
export const JSON_SAMPLES: readonly (readonly [label: string, value: JsonValue])[] = Object.freeze([
  ['an empty string', ''],
  ['ASCII text', 'hello, world'],
  ['text with quotes, backslashes and control characters', 'a "quoted" \\ word\n\ttab \u0000 nul \u001f unit \u007f del'],
  ['non-ASCII text (accents, CJK, emoji)', 'Grüße, 世界 👋🏽 ﷽'],
  ['a lone surrogate', 'half \ud83d of an emoji'],
  ['text that looks like JSON', '{"v":1,"state":{}}'],
  ['zero', 0],
  ['a negative integer', -42],
  ['the largest safe integer', Number.MAX_SAFE_INTEGER],
  ['a decimal fraction', 0.1],
  ['the smallest positive number', 5e-324],
  ['the largest number', Number.MAX_VALUE],
  ['a number written with an exponent', 1e21],
  ['true', true],
  ['false', false],
  ['null', null],
  ['an empty array', []],
  ['an empty object', {}],
  ['a nested array', [1, 'two', [3, [null, [true]]], { four: 4 }]],
  ['a nested object', { a: { b: { c: [1, { d: 'e' }] } }, 'key with spaces': 1, '': 'empty key', 'ünï€ødé 🔑': false }],
  ['an array of 300 numbers', Array.from({ length: 300 }, (_, i) => i * 7)],
]);

/**
 * Builds a {@link SessionState} (null prototype) from `entries`, defining every key as an own
 * data property, so that `__proto__` is stored as data.
 *
 * @example
 * ```ts
 * stateOf({ user: 'ferris', counter: 1 })
 * ```
 */
export function stateOf(entries: Record<string, JsonValue>): SessionState {
  const state = Object.create(null) as SessionState;
  for (const key of Object.keys(entries)) {
    Object.defineProperty(state, key, { value: entries[key], enumerable: true, writable: true, configurable: true });
  }
  return state;
}

/**
 * A canonical text of a JSON value (object keys sorted at every level), computed independently
 * of the store's own serialiser, to compare what went in with what came out. Own `__proto__`
 * properties count like any other key; a value JSON cannot hold gives a marker that never matches.
 *
 * @example
 * ```ts
 * expect(canonical(await store.load(key))).toBe(canonical(state))
 * ```
 */
export function canonical(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? JSON.stringify(value) : `<not JSON: ${String(value)}>`;
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object).sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`).join(',')}}`;
    }
    default:
      return `<not JSON: ${typeof value}>`;
  }
}
