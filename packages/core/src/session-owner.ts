import { SessionInsertError } from './errors.js';
import { toJsonValue, type JsonObject } from './json.js';
import { generateSessionKey } from './session-key.js';
import type { SessionMeta } from './session-meta.js';
import { utf8ByteLength } from './utf8.js';

/** The longest owner id, in UTF-8 bytes. */
export const OWNER_ID_MAX_BYTES = 256;
/** The largest owner details object, in UTF-8 bytes of JSON: they ride in every record (and cookie). */
export const OWNER_DETAILS_MAX_BYTES = 1024;

/**
 * The owner of a session, as `session.owner` shows it.
 *
 * @example
 * ```ts
 * const owner: SessionOwner = { id: 'user-42', details: { userAgent: 'Firefox' } }
 * ```
 */
export interface SessionOwner {
  /** The owner's id (a user id). */
  readonly id: string;
  /** What `setOwner` was given to show in listings, or `undefined`. */
  readonly details: Readonly<JsonObject> | undefined;
}

/**
 * Checks the arguments of `session.setOwner` and returns a JSON copy of the details. Throws
 * `SessionInsertError` (a usage error, like inserting a non-JSON value) for an owner id that is
 * not a non-empty string of at most 256 bytes, or details that are not a small JSON object.
 *
 * @example
 * ```ts
 * const details = checkOwner('user-42', { userAgent }) // a copy
 * ```
 */
export function checkOwner(ownerId: unknown, details: unknown): JsonObject | undefined {
  if (typeof ownerId !== 'string' || ownerId === '' || utf8ByteLength(ownerId) > OWNER_ID_MAX_BYTES) {
    throw new SessionInsertError('owner', `setOwner(ownerId) needs a non-empty string of at most ${OWNER_ID_MAX_BYTES} bytes (a user id)`);
  }
  if (details === undefined) return undefined;
  let copy: unknown;
  try {
    copy = toJsonValue(details);
  } catch (error) {
    throw new SessionInsertError('owner', `setOwner(ownerId, details): details must be JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) {
    throw new SessionInsertError('owner', 'setOwner(ownerId, details): details must be a plain object such as { userAgent }');
  }
  if (utf8ByteLength(JSON.stringify(copy)) > OWNER_DETAILS_MAX_BYTES) {
    throw new SessionInsertError('owner', `setOwner(ownerId, details): details must be at most ${OWNER_DETAILS_MAX_BYTES} bytes of JSON; they are stored with every session`);
  }
  return copy as JsonObject;
}

/** Characters of a listing id: 142 random bits, and visibly not a 64-character session key. */
const LISTING_ID_LENGTH = 24;

/**
 * `meta` with `ownerId` and `details` set. A new owner gets a new listing id (random, never derived
 * from the session key); the same owner keeps its id, so setting the owner again only refreshes
 * the details.
 *
 * @example
 * ```ts
 * data.meta = ownedMeta(data.meta, 'user-42', { userAgent: 'Firefox' })
 * ```
 */
export function ownedMeta(meta: SessionMeta, ownerId: string, details: JsonObject | undefined): SessionMeta {
  const id = meta.owner === ownerId && meta.id !== undefined ? meta.id : generateSessionKey().slice(0, LISTING_ID_LENGTH);
  const next: { -readonly [K in keyof SessionMeta]: SessionMeta[K] } = { ...meta, owner: ownerId, id };
  if (details === undefined) delete next.details;
  else next.details = details;
  return Object.freeze(next);
}
