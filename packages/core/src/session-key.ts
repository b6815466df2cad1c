import { SessionError } from './errors.js';
import { randomBytes } from './random-bytes.js';
import { utf8ByteLength } from './utf8.js';

/**
 * The identifier a store returns for a saved state and finds it by again.
 *
 * For server-side stores it is an opaque random string; for the cookie store it is the
 * serialised state itself. It travels inside the sealed cookie.
 */
export type SessionKey = string;

/**
 * The largest session key, in UTF-8 bytes: 4096 bytes (what browsers keep of a cookie) minus
 * room for the cookie's name and attributes, as in actix-session.
 */
export const SESSION_KEY_MAX_BYTES = 4064;

/** How many characters {@link generateSessionKey} returns. */
export const GENERATED_SESSION_KEY_LENGTH = 64;

/**
 * Whether `value` can be used as a session key (a string of at most
 * {@link SESSION_KEY_MAX_BYTES} UTF-8 bytes).
 *
 * @example
 * ```ts
 * isValidSessionKey('a'.repeat(4065)) // false
 * ```
 */
export function isValidSessionKey(value: unknown): value is SessionKey {
  if (typeof value !== 'string') return false;
  // Fast path: even all-astral text cannot exceed the limit below this length.
  if (value.length * 3 <= SESSION_KEY_MAX_BYTES) return true;
  return utf8ByteLength(value) <= SESSION_KEY_MAX_BYTES;
}

/**
 * Returns `value` as a {@link SessionKey}, or throws a `SessionError` with code
 * `INVALID_SESSION_KEY` when it is not a string or exceeds {@link SESSION_KEY_MAX_BYTES}.
 *
 * @example
 * ```ts
 * const key = toSessionKey(row.id)
 * ```
 */
export function toSessionKey(value: unknown): SessionKey {
  if (isValidSessionKey(value)) return value;
  throw new SessionError(
    'INVALID_SESSION_KEY',
    typeof value === 'string'
      ? `The session key is bigger than ${SESSION_KEY_MAX_BYTES} bytes, the upper limit on cookie content`
      : `A session key must be a string, not ${value === null ? 'null' : typeof value}`,
  );
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// The largest multiple of 62 that fits in a byte: bytes at or above it are rejected so that
// `byte % 62` is uniform (no modulo bias).
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/**
 * A fresh random session key: 64 characters of `[A-Za-z0-9]` (about 381 bits) drawn from
 * `crypto.getRandomValues` (through a pool of fresh bytes) by rejection sampling, as OWASP recommends for session IDs.
 *
 * @example
 * ```ts
 * async save(state, ttlSeconds) { const key = generateSessionKey(); … return key }
 * ```
 */
export function generateSessionKey(): SessionKey {
  let key = '';
  while (key.length < GENERATED_SESSION_KEY_LENGTH) {
    // 80 bytes give 64 accepted ones (each kept with probability 248/256) almost always.
    const bytes = randomBytes(GENERATED_SESSION_KEY_LENGTH + 16);
    for (let i = 0; i < bytes.length && key.length < GENERATED_SESSION_KEY_LENGTH; i++) {
      const byte = bytes[i] as number;
      if (byte < UNBIASED_LIMIT) key += ALPHABET[byte % ALPHABET.length];
    }
  }
  return key;
}
