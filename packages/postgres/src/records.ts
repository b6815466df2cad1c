import { deserializeState, serializeState, sessionMetaOf, type OwnedSessionRecord, type SessionState } from '@sess/core';

/**
 * The row written for `state`: its record (`serializeState`, metadata included, the same bytes
 * every @sess store writes) and the owner columns copied from its metadata (both `null` when the
 * session has no owner). Throws what `fail` makes of a state JSON cannot hold.
 *
 * @example
 * ```ts
 * const [record, owner, ownerSessionId] = encodeRow(state, (cause) => new SaveError('serialization', undefined, { cause }))
 * ```
 */
export function encodeRow(state: SessionState, fail: (cause: unknown) => Error): [record: string, owner: string | null, ownerSessionId: string | null] {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) throw fail(new TypeError('A session state must be an object'));
  let record: string;
  try {
    record = serializeState(state);
  } catch (error) {
    throw fail(error);
  }
  const meta = sessionMetaOf(state);
  if (meta?.owner === undefined || meta.id === undefined) return [record, null, null];
  return [record, meta.owner, meta.id];
}

/**
 * The record written for `state` alone (what compare-and-update compares).
 *
 * @example
 * ```ts
 * encodeRecord(loaded, (cause) => new UpdateError('serialization', undefined, { cause }))
 * ```
 */
export function encodeRecord(state: SessionState, fail: (cause: unknown) => Error): string {
  return encodeRow(state, fail)[0];
}

/**
 * Whether a session key can be in the table at all: PostgreSQL text cannot hold NUL, and the
 * store only ever writes keys it generated, so a key with one was never stored (and must not
 * reach the server, which would refuse the statement).
 *
 * @example
 * ```ts
 * storable('a\u0000b') // false: load answers null without a query
 * ```
 */
export function storable(key: string): boolean {
  if (typeof key !== 'string') throw new TypeError(`A session key must be a string, not ${typeof key}`);
  return !key.includes('\u0000');
}

/**
 * The listing rows of `listOwned` from the owner's live rows: metadata read back from each state,
 * rows whose state no longer names this owner and id (or cannot be read) left out.
 *
 * @example
 * ```ts
 * ownedRecords('user-42', result.rows) // [{ id, meta, expiresAt }]
 * ```
 */
export function ownedRecords(ownerId: string, rows: readonly Record<string, unknown>[]): OwnedSessionRecord[] {
  const listed: OwnedSessionRecord[] = [];
  for (const row of rows) {
    let meta;
    try {
      meta = sessionMetaOf(deserializeState(String(row.state)));
    } catch {
      continue;
    }
    const id = meta?.id;
    if (meta === undefined || meta.owner !== ownerId || id === undefined || id !== row.id) continue;
    listed.push({ id, meta, expiresAt: Number(row.expires_at_ms) });
  }
  return listed;
}
