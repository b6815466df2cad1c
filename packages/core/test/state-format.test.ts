import { deserializeState, serializeState, type SessionState } from '../src/index.js';
import { compareCodePoints } from '../src/state-format.js';

const state = (object: Record<string, unknown>) => Object.assign(Object.create(null), object) as SessionState;

// Ports of actix-session's src/storage/format.rs tests (reference §10.2).
describe('actix-session src/storage/format.rs', () => {
  test('round_trip_versioned_format', () => {
    const original = state({ s: 'hello', n: 42, b: true, null: null, obj: { a: 1 }, arr: [1, 2, 3] });
    const encoded = serializeState(original);
    expect(deserializeState(encoded)).toEqual(original);
    const parsed = JSON.parse(encoded) as { v: number; state: Record<string, unknown> };
    expect(parsed.state.s).toBe('hello');
    expect(encoded).not.toContain('\\"hello\\"');
  });

  test('legacy_format_is_migrated', () => {
    const legacy = '{"string":"\\"hello\\"","num":"1","bool":"true","obj":"{\\"a\\":1}","arr":"[1,2,3]"}';
    expect(deserializeState(legacy)).toEqual(state({ string: 'hello', num: 1, bool: true, obj: { a: 1 }, arr: [1, 2, 3] }));
  });
});

describe('serializeState', () => {
  test('writes v first, then state, with keys sorted at every level', () => {
    expect(serializeState(state({ user_id: 'ferris', counter: 1, z: { b: 1, a: [{ y: 1, x: 2 }] } }))).toBe(
      '{"v":1,"state":{"counter":1,"user_id":"ferris","z":{"a":[{"x":2,"y":1}],"b":1}}}',
    );
  });

  test('sorts by code point (UTF-8 byte order), as Rust BTreeMap does, not by UTF-16 unit', () => {
    // U+FF5E (3 UTF-8 bytes EF BD 9E) sorts before U+1F600 (F0 9F 98 80) by bytes, after it by UTF-16 units.
    const text = serializeState(state({ '😀': 1, '～': 2, a: 3 }));
    expect(text).toBe('{"v":1,"state":{"a":3,"～":2,"😀":1}}');
    expect(['😀', '～', 'a'].sort(compareCodePoints)).toEqual(['a', '～', '😀']);
  });

  test.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a bigint', 1n],
    ['a symbol', Symbol('s')],
    // eslint-disable-next-line no-sparse-arrays
    ['a sparse array', [, 1]],
  ])('refuses a state holding %s instead of writing a record it cannot read back', (_label, value) => {
    expect(() => serializeState(state({ a: { b: [value] } }))).toThrow(TypeError);
  });

  test('equal states give byte-identical records', () => {
    expect(serializeState(state({ b: 1, a: 2 }))).toBe(serializeState(state({ a: 2, b: 1 })));
  });
});

describe('deserializeState edge cases (reference §6.5)', () => {
  test.each([
    ['not JSON', 'random-thing-which-is-not-json', /JSON/],
    ['an array', '[1,2]', /not a JSON object/],
    ['null', 'null', /not a JSON object/],
    ['a string', '"x"', /not a JSON object/],
    ['a negative version', '{"v":-1,"state":{}}', /Invalid session state format version/],
    ['a fractional version', '{"v":1.5,"state":{}}', /Invalid session state format version/],
    ['a version over 255', '{"v":256,"state":{}}', /Invalid session state format version/],
    ['an unsupported version', '{"v":2,"state":{}}', /Unsupported session state format version: 2/],
    ['a legacy value that is not JSON', '{"name":"bob"}', /JSON/],
  ])('rejects %s', (_label, text, message) => {
    expect(() => deserializeState(text)).toThrow(message);
  });

  test('{"state":{…}} without v falls through to the outer object, as actix does', () => {
    expect(deserializeState('{"state":{"a":1},"n":2}')).toEqual(state({ state: { a: 1 }, n: 2 }));
  });

  test('an empty object is an empty (legacy) state', () => {
    expect(deserializeState('{}')).toEqual(state({}));
  });

  test('a loaded state has a null prototype and keeps __proto__ as data', () => {
    const loaded = deserializeState('{"v":1,"state":{"__proto__":{"polluted":true},"constructor":1}}');
    expect(Object.getPrototypeOf(loaded)).toBeNull();
    expect(Object.keys(loaded)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('numbers as serde_json writes them', () => {
  // serde_json's own text for each value (integers as i64/u64, everything else through ryu),
  // as actix-session stores it: the records and signed cookies of equal states are equal bytes.
  test.each([
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-7, '-7'],
    [0.1, '0.1'],
    [1.5, '1.5'],
    [-0.5, '-0.5'],
    [123.456, '123.456'],
    [0.000015, '0.000015'],
    [1.5e-6, '1.5e-6'],
    [1e-7, '1e-7'],
    [5e-324, '5e-324'],
    [1e16, '10000000000000000'],
    [2 ** 53 + 2, '9007199254740994'],
    // Beyond 2^53 a double holds fewer digits: JavaScript's shortest text, which serde_json reads as a u64 and writes back unchanged.
    [2 ** 63, '9223372036854776000'],
    [1e20, '1e20'],
    [2 ** 64, '1.8446744073709552e19'],
    [1e21, '1e21'],
    [-1e21, '-1e21'],
    [1.2345678901234568e22, '1.2345678901234568e22'],
    [Number.MAX_VALUE, '1.7976931348623157e308'],
  ])('%p is written %s and reads back the same number', (value, text) => {
    const written = serializeState(state({ n: value }));
    expect(written).toBe(`{"v":1,"state":{"n":${text}}}`);
    expect(deserializeState(written).n).toBe(value === 0 ? 0 : value);
  });
});
