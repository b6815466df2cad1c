/**
 * Fresh random bytes from `crypto.getRandomValues`, drawn from a pool refilled 4 KiB at a time.
 * Each call to `getRandomValues` costs a few microseconds on Node whatever its size (a system
 * call included), while a seal needs 12 bytes and a session key about 70: pooling makes both
 * nearly free. Every byte is still CSPRNG output handed out once and never again; a refill puts
 * a new buffer in place, so bytes already handed out are never overwritten.
 */
const POOL_BYTES = 4096;

let pool = new Uint8Array(0);
let offset = 0;

/**
 * `length` fresh random bytes (at most 4096), copied out of the pool.
 *
 * @example
 * ```ts
 * const nonce = randomBytes(12)
 * ```
 */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  if (length > POOL_BYTES) return crypto.getRandomValues(new Uint8Array(length));
  if (offset + length > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    offset = 0;
  }
  const bytes = pool.slice(offset, offset + length);
  offset += length;
  return bytes;
}
