import { serializeState, type SessionState } from '@sess/core';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks a TTL before it reaches Redis: `EX 0` is an error and `EXPIRE 0` deletes.
 *
 * @example
 * ```ts
 * checkTtl(ttlSeconds, (message) => new SaveError('other', message))
 * ```
 */
export function checkTtl(ttlSeconds: number, fail: (message: string) => Error): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw fail(`ttlSeconds must be a whole number of seconds ≥ 1 (got ${String(ttlSeconds)})`);
  }
}

/**
 * The record written for `state` (`serializeState`), or the error `fail` makes of why not.
 *
 * @example
 * ```ts
 * const record = encode(state, (cause) => new SaveError('serialization', undefined, { cause }))
 * ```
 */
export function encode(state: SessionState, fail: (cause: unknown) => Error): string {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw fail(new TypeError('A session state must be an object'));
  }
  try {
    return serializeState(state);
  } catch (error) {
    throw fail(error);
  }
}

/**
 * The text of a bulk-string reply: bytes (as the store's type mapping asks), decoded strictly
 * (never with U+FFFD replacements); a string, should a client hand one back anyway, as it is.
 *
 * @example
 * ```ts
 * deserializeState(asText(await redis.get(key)))
 * ```
 */
export function asText(reply: unknown): string {
  if (typeof reply === 'string') return reply;
  if (reply instanceof Uint8Array) return utf8.decode(reply);
  throw new TypeError(`Redis returned ${describeReply(reply)} where a string was expected`);
}

/**
 * Whether a reply is `OK` (as text or bytes).
 *
 * @example
 * ```ts
 * if (isOk(await redis.set(key, value, options))) return key
 * ```
 */
export function isOk(reply: unknown): boolean {
  return reply === 'OK' || (reply instanceof Uint8Array && reply.length === 2 && reply[0] === 0x4f && reply[1] === 0x4b);
}

/**
 * A short description of a reply for an error message (never its content beyond 40 characters).
 *
 * @example
 * ```ts
 * describeReply(null) // 'nil'
 * ```
 */
export function describeReply(reply: unknown): string {
  if (reply === null) return 'nil';
  if (typeof reply === 'string') return `"${reply.slice(0, 40)}"`;
  return reply instanceof Uint8Array ? `${reply.length} bytes` : typeof reply;
}

/**
 * Whether Redis refused a write because the node is a replica (`READONLY You can't write against
 * a read only replica.`, also when the write is inside a script): after a failover, the node a
 * connection still talks to was demoted.
 *
 * @example
 * ```ts
 * if (isReadOnlyError(error)) reconnect()
 * ```
 */
export function isReadOnlyError(error: unknown): error is Error {
  return error instanceof Error && error.message.startsWith('READONLY');
}
