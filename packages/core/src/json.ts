/** A JSON primitive. */
export type JsonPrimitive = string | number | boolean | null;
/** A JSON array. */
export type JsonArray = JsonValue[];
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}
/** Any value JSON can represent: what a session stores under each key. */
export type JsonValue = JsonPrimitive | JsonArray | JsonObject;

/**
 * `T` checked as a value `Session.insert` can store: what JSON can represent, at the type level.
 * Functions, symbols, bigints, `undefined` (alone or in an array), Maps, Sets and other
 * built-ins JSON would turn into `{}` become `never`, so passing them fails to compile instead
 * of throwing `SessionInsertError` at run time. Optional properties are fine (an `undefined`
 * property is left out, as `JSON.stringify` does); anything with a `toJSON` method (a `Date`)
 * is stored as what it returns. `unknown` and `any` are let through: the run-time check stays.
 * Numbers cannot be checked for NaN or ±Infinity here; `insert` still rejects those.
 *
 * @example
 * ```ts
 * const ok: JsonInput<{ id: string; since?: Date }> = { id: 'ferris' }
 * // JsonInput<{ id: bigint }> is { id: never }: session.insert('user', { id: 1n }) does not compile
 * ```
 */
export type JsonInput<T> = unknown extends T
  ? T
  : // Already JSON (JsonValue itself is recursive: mapping it again would never end).
    [T] extends [JsonValue]
    ? T
    : T extends string | number | boolean | null
    ? T
    : T extends bigint | symbol | undefined | ((...args: never[]) => unknown)
      ? never
      : T extends { toJSON(key?: string): unknown }
        ? T
        : T extends NotJsonObject
          ? never
          : T extends readonly unknown[]
            ? { readonly [I in keyof T]: JsonInput<T[I]> }
            : T extends object
              ? { readonly [K in keyof T]: undefined extends T[K] ? JsonInput<Exclude<T[K], undefined>> | undefined : JsonInput<T[K]> }
              : never;

/** Objects JSON would turn into `{}` (see `LOSSY_TAGS`). */
type NotJsonObject =
  | ReadonlyMap<unknown, unknown>
  | ReadonlySet<unknown>
  | WeakMap<object, unknown>
  | WeakSet<object>
  | RegExp
  | Promise<unknown>
  | ArrayBuffer
  | ArrayBufferView;

/**
 * A session's state: a null-prototype object mapping keys to JSON values.
 *
 * The null prototype makes keys such as `__proto__`, `constructor` or `prototype` ordinary data.
 */
export type SessionState = { [key: string]: JsonValue };

/** Why a value could not be copied as JSON, with the path at which it failed. */
export class NotJsonError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path === '' ? 'the value' : `the value at ${path}`} ${reason}`);
  }
}

/** Creates an empty {@link SessionState}. */
export function emptyState(): SessionState {
  return Object.create(null) as SessionState;
}

/**
 * Defines `key` on `target` as an own data property.
 *
 * A plain assignment `target[key] = value` on an object that inherits from `Object.prototype`
 * would call the `__proto__` setter instead of storing data; defining the property never does.
 */
export function defineJsonProperty(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

const LOSSY_TAGS = new Set([
  '[object Map]',
  '[object Set]',
  '[object WeakMap]',
  '[object WeakSet]',
  '[object RegExp]',
  '[object Promise]',
  '[object ArrayBuffer]',
  '[object SharedArrayBuffer]',
  '[object DataView]',
]);

/**
 * Deep-copies `value` into fresh JSON data, the way `JSON.parse(JSON.stringify(value))` would,
 * but throws {@link NotJsonError} instead of silently losing data.
 *
 * Accepted: strings, finite numbers, booleans, `null`, arrays, objects (own enumerable string
 * keys) and anything with a `toJSON` method (a `Date` becomes its ISO string). An object
 * property whose value is `undefined` is left out, as `JSON.stringify` does for optional fields.
 * Rejected: functions, symbols, bigints, `undefined` (alone or in an array), NaN and ±Infinity,
 * cycles, and built-ins JSON would turn into `{}` (Map, Set, RegExp, typed arrays…).
 */
export function toJsonValue(value: unknown): JsonValue {
  return copy(value, '', '', new Set());
}

function copy(value: unknown, key: string, path: string, ancestors: Set<object>): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonError(path, `is ${value}, which JSON cannot represent`);
      // JSON has no negative zero; keep what a round trip through text would give.
      return value === 0 ? 0 : value;
    case 'object':
      break;
    case 'undefined':
      throw new NotJsonError(path, 'is undefined, which JSON cannot represent');
    default:
      throw new NotJsonError(path, `is a ${typeof value}, which JSON cannot represent`);
  }
  if (value === null) return null;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    return copy(toJSON.call(value, key), key, path, ancestors);
  }
  if (ancestors.has(value)) throw new NotJsonError(path, 'is a cycle, which JSON cannot represent');
  ancestors.add(value);
  let result: JsonValue;
  if (Array.isArray(value)) {
    const array: JsonValue[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) array[i] = copy(value[i], String(i), `${path}[${i}]`, ancestors);
    result = array;
  } else {
    const tag = Object.prototype.toString.call(value);
    if (LOSSY_TAGS.has(tag) || ArrayBuffer.isView(value)) {
      throw new NotJsonError(path, `is a ${tag.slice(8, -1)}, which JSON would turn into {}`);
    }
    const object: JsonObject = {};
    for (const name of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[name];
      if (item === undefined) continue;
      defineJsonProperty(object, name, copy(item, name, path === '' ? name : `${path}.${name}`, ancestors));
    }
    result = object;
  }
  ancestors.delete(value);
  return result;
}

/** Deep-copies JSON data that is already known to be valid (no checks, no cycles). */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const object: JsonObject = {};
  for (const key of Object.keys(value)) defineJsonProperty(object, key, cloneJson(value[key] as JsonValue));
  return object as T;
}

/** Deep-freezes JSON data in place and returns it. */
export function freezeJson<T extends JsonValue>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) freezeJson(item);
    Object.freeze(value);
  }
  return value;
}
