import type { JsonObject, JsonValue, SessionState } from './json.js';

/**
 * What @sess keeps about a session besides its state, when a feature needs it: the timestamps
 * of the idle and absolute timeouts, and the owner of "a user's sessions". Stored next to the
 * state (`{"v":1,"state":{…},"meta":{…}}`; sealed inside the cookie for the cookie store). A
 * session that uses none of these features has no metadata, and its record is byte for byte
 * what actix-session writes.
 *
 * Times are whole seconds since the epoch.
 *
 * @example
 * ```ts
 * const meta: SessionMeta = { created: 1764720000, active: 1764723600, owner: 'user-42', id: 'Vt3…' }
 * ```
 */
export interface SessionMeta {
  /** When the session was first saved; kept through `renew()`. The absolute timeout runs from here. */
  readonly created?: number;
  /** The last request that counted as activity, as written (at most once per touch interval). */
  readonly active?: number;
  /** The owner set by `session.setOwner` (a user id). */
  readonly owner?: string;
  /** The owner's details for listings (user agent, …). */
  readonly details?: JsonObject;
  /** The session's non-secret id in its owner's listing: random, never the session key. */
  readonly id?: string;
}

/**
 * Where a state carries its metadata on the way to and from a store: a symbol-keyed property,
 * invisible to `Object.keys`, `for…in` and `JSON.stringify` (so never mistaken for state), but
 * copied by `{ ...state }` and `Object.assign`, which `serializeState` writes and
 * `deserializeState` restores. Registered (`Symbol.for`), so two copies of @sess/core agree.
 */
const META = Symbol.for('@sess/core session meta');

type WithMeta = SessionState & { [META]?: SessionMeta };

/**
 * The metadata a state carries (see {@link SessionMeta}), or `undefined`. Store authors who do
 * not keep `serializeState`'s text must keep this too (and `@sess/store-tests` checks it).
 *
 * @example
 * ```ts
 * const owner = sessionMetaOf(state)?.owner // maintain an owner index
 * ```
 */
export function sessionMetaOf(state: SessionState): SessionMeta | undefined {
  return (state as WithMeta)[META];
}

/**
 * Attaches `meta` to `state` (in place) and returns it; `undefined` or an empty object removes it.
 *
 * @example
 * ```ts
 * withSessionMeta(deserializeMyRow(row), JSON.parse(row.meta))
 * ```
 */
export function withSessionMeta(state: SessionState, meta: SessionMeta | undefined): SessionState {
  const target = state as WithMeta;
  if (meta === undefined || isEmptyMeta(meta)) delete target[META];
  else target[META] = meta;
  return state;
}

/** Whether `meta` holds nothing. */
export function isEmptyMeta(meta: SessionMeta): boolean {
  for (const _ in meta) return false;
  return true;
}

/**
 * Reads the `meta` member of a stored record. Unknown fields are ignored (a newer writer), a
 * field of the wrong type makes the record unreadable (like any other corruption).
 *
 * @example
 * ```ts
 * parseMeta({ created: 1764720000 }) // { created: 1764720000 }
 * ```
 */
export function parseMeta(value: JsonValue): SessionMeta {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('Session metadata is not an object');
  const { created, active, owner, details, id } = value as Record<string, JsonValue | undefined>;
  const meta: { -readonly [K in keyof SessionMeta]: SessionMeta[K] } = {};
  if (created !== undefined) meta.created = seconds(created, 'created');
  if (active !== undefined) meta.active = seconds(active, 'active');
  if (owner !== undefined) meta.owner = text(owner, 'owner');
  if (id !== undefined) meta.id = text(id, 'id');
  if (details !== undefined) {
    if (typeof details !== 'object' || details === null || Array.isArray(details)) throw new Error('Session metadata: details is not an object');
    meta.details = details;
  }
  return meta;
}

function seconds(value: JsonValue, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error(`Session metadata: ${name} is not a time`);
  return value;
}

function text(value: JsonValue, name: string): string {
  if (typeof value !== 'string') throw new Error(`Session metadata: ${name} is not a string`);
  return value;
}

/**
 * The metadata as the record's JSON object, fields in a fixed (sorted) order so equal metadata
 * always gives equal bytes (compare-and-update compares records).
 *
 * @example
 * ```ts
 * metaJson({ owner: 'u', created: 1 }) // { created: 1, owner: 'u' }
 * ```
 */
export function metaJson(meta: SessionMeta): JsonObject {
  const out: JsonObject = {};
  if (meta.active !== undefined) out.active = meta.active;
  if (meta.created !== undefined) out.created = meta.created;
  if (meta.details !== undefined) out.details = meta.details;
  if (meta.id !== undefined) out.id = meta.id;
  if (meta.owner !== undefined) out.owner = meta.owner;
  return out;
}
