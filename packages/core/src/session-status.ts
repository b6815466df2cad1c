/**
 * The four states of a {@link Session}, in increasing precedence.
 *
 * - `unchanged`: nothing was written; the store is not touched (except a TTL refresh under
 *   `on-every-request`).
 * - `changed`: the state was written; it is saved or updated after the handler.
 * - `renewed`: `renew()` was called; the old key is deleted and the state saved under a new one
 *   (defends against session fixation after login). Later writes keep this status.
 * - `purged`: `purge()` was called; the state is deleted and the cookie removed. Terminal: later
 *   writes and `renew()` are ignored.
 *
 * @example
 * ```ts
 * if (session.status === SessionStatus.Purged) return redirect('/bye')
 * ```
 */
// Frozen: the object is shared by every importer (the adapters re-export it), so one module
// assigning `SessionStatus.Changed = …` would otherwise silently break comparisons everywhere.
export const SessionStatus = Object.freeze({
  Unchanged: 'unchanged',
  Changed: 'changed',
  Renewed: 'renewed',
  Purged: 'purged',
} as const);

/** One of the values of {@link SessionStatus}. */
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus];
