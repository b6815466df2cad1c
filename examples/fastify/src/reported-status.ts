import { SessionStatus } from '@sess/fastify';

const STATUSES: ReadonlySet<string> = new Set(Object.values(SessionStatus));

/**
 * Where an action redirects: the page, with the status the action's own request ended in
 * (`changed` after the counter, `renewed` after login, `purged` after logout) in its query.
 * The page's own request only reads the session, so on its own it would always show `unchanged`.
 *
 * @param status the session's status at the end of the action's handler
 * @returns the page's path with `?status=<status>`
 *
 * @example
 * ```ts
 * pageAfter(session.status) // '/?status=renewed' after a login
 * ```
 */
export function pageAfter(status: SessionStatus): string {
  return `/?status=${encodeURIComponent(status)}`;
}

/**
 * The `status` query parameter if it is one of the {@link SessionStatus} values, given once,
 * else `undefined`. Anyone can put anything in a URL; only these four fixed words ever reach the
 * page. A repeated parameter (`?status=a&status=b`) names no status, whichever framework parsed it.
 *
 * @param value the parsed query parameter: a string, its values as an array, or absent
 * @returns the status it names, or `undefined`
 *
 * @example
 * ```ts
 * reportedStatus('renewed') // 'renewed'
 * reportedStatus('<script>') // undefined
 * reportedStatus(['changed', 'purged']) // undefined
 * ```
 */
export function reportedStatus(value: unknown): SessionStatus | undefined {
  const [only, ...more] = Array.isArray(value) ? (value as unknown[]) : [value];
  return more.length === 0 && typeof only === 'string' && STATUSES.has(only) ? (only as SessionStatus) : undefined;
}
