import { jsonNumber } from './json-number.js';
import { emptyState, type JsonObject, type JsonValue, type SessionState } from './json.js';
import { isEmptyMeta, metaJson, parseMeta, sessionMetaOf, withSessionMeta } from './session-meta.js';

/** The version written in the `v` field of every stored state. */
export const STATE_FORMAT_VERSION = 1;

/**
 * Encodes a state the way actix-session (HEAD) stores it: compact JSON
 * `{"v":1,"state":{…}}` with object keys sorted by code point at every level, so equal states
 * always give byte-identical records, and values stored as JSON rather than JSON-in-strings.
 * A state carrying metadata ({@link sessionMetaOf}: timeouts, owner) gets a `"meta":{…}` member
 * after `"state"`; without it the bytes are exactly actix-session's.
 * Throws a `TypeError` for a value JSON cannot represent (`undefined`, a function, a bigint, NaN…).
 *
 * @example
 * ```ts
 * serializeState(state) // '{"v":1,"state":{"counter":1,"user_id":"ferris"}}'
 * ```
 */
export function serializeState(state: SessionState): string {
  const meta = sessionMetaOf(state);
  // Metadata only when a feature wrote some: otherwise the bytes are actix-session's.
  const tail = meta === undefined || isEmptyMeta(meta) ? '' : `,"meta":${stringifySorted(metaJson(meta))}`;
  return `{"v":${STATE_FORMAT_VERSION},"state":${stringifySorted(state)}${tail}}`;
}

/**
 * Decodes a stored state: the versioned format, actix-session ≤ 0.11's legacy format (every
 * value a JSON text, e.g. `{"counter":"1"}`), or an unversioned JSON object. Throws an
 * `Error` describing the problem when the text is none of these; stores wrap it in
 * `LoadError('deserialization')`. Keys such as `__proto__` come back as plain data.
 *
 * @example
 * ```ts
 * deserializeState('{"v":1,"state":{"n":1}}').n // 1
 * ```
 */
export function deserializeState(text: string): SessionState {
  const parsed: unknown = JSON.parse(text);
  if (!isObject(parsed)) throw new Error('Session state is not a JSON object');
  const { v, state, meta } = parsed as { v?: unknown; state?: unknown; meta?: JsonValue };
  if (isObject(state) && typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new Error('Invalid session state format version');
    if (v !== STATE_FORMAT_VERSION) throw new Error(`Unsupported session state format version: ${v}`);
    return meta === undefined ? toState(state) : withSessionMeta(toState(state), parseMeta(meta));
  }
  const values = Object.values(parsed);
  if (values.every((value) => typeof value === 'string')) {
    // actix-session ≤ 0.11 stored each value as its own JSON text.
    const migrated = emptyState();
    for (const key of Object.keys(parsed)) migrated[key] = JSON.parse(parsed[key] as string) as JsonValue;
    return migrated;
  }
  return toState(parsed);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toState(object: JsonObject): SessionState {
  const state = emptyState();
  // JSON.parse already made `__proto__` an own property; copying onto a null-prototype
  // object keeps it data.
  for (const key of Object.keys(object)) state[key] = object[key] as JsonValue;
  return state;
}

/** Orders strings by Unicode code point, i.e. by UTF-8 bytes, as Rust's `BTreeMap<String, _>` does. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 puts surrogates (astral characters) below U+E000–U+FFFF; code point order does not.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
    return x - y;
  }
  return a.length - b.length;
}

function stringifySorted(value: JsonValue): string {
  if (typeof value !== 'object' || value === null) {
    // A state can come from a third-party caller rather than from `Session`: refuse what JSON
    // would drop or turn into null, so a store never writes a record it cannot read back.
    if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
    if (typeof value === 'number' && Number.isFinite(value)) return jsonNumber(value);
    throw new TypeError(`A session state holds ${typeof value === 'number' ? String(value) : `a ${typeof value}`}, which JSON cannot represent`);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      // `map` skips holes, which would leave `[,1]`: not JSON. Refused like `undefined` (as `Session.insert` does).
      if (!(i in value)) throw new TypeError(`A session state holds an array with a hole at [${i}], which JSON cannot represent`);
      out += (i > 0 ? ',' : '') + stringifySorted(value[i] as JsonValue);
    }
    return `${out}]`;
  }
  const keys = Object.keys(value).sort(compareCodePoints);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0) out += ',';
    out += `${JSON.stringify(key)}:${stringifySorted(value[key] as JsonValue)}`;
  }
  return `${out}}`;
}
