/** The request shapes timed for every contender. */
export const SCENARIOS = ['plain', 'read', 'write', 'new-visitor', 'read-many', 'write-many'] as const;
/** One of {@link SCENARIOS}. */
export type Scenario = (typeof SCENARIOS)[number];

/** Which cookie goes with a scenario's requests. */
export type CookieSource =
  /** none: a new visitor */
  | 'none'
  /** one session's cookie on every request, as one busy user sends it */
  | 'one'
  /** the next of many sessions' cookies on each request (see `--sessions`) */
  | 'many';

/** How a scenario's requests look on the wire. */
export interface ScenarioRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly cookies: CookieSource;
  /** How the tables name it. */
  readonly title: string;
  /** A short name for the summary table's column. */
  readonly column: string;
}

/** How many distinct sessions the many-session scenarios cycle through by default. */
export const DEFAULT_SESSIONS = 5000;

/**
 * The routes every server has, identical across frameworks and libraries:
 * `GET /plain` answers without touching the session, `GET /read` returns the counter,
 * `POST /write` increments it; "new visitor" is `GET /read` without a cookie. The one-cookie
 * rows replay one session's cookie (a library that remembers what it opened does no crypto
 * after the first request); the many-session rows send each request the next of N sessions'
 * cookies, as a site with many users sees them.
 *
 * @example
 * ```ts
 * SCENARIO_REQUESTS.write // { method: 'POST', path: '/write', cookies: 'one', … }
 * ```
 */
export const SCENARIO_REQUESTS: Readonly<Record<Scenario, ScenarioRequest>> = {
  plain: { method: 'GET', path: '/plain', cookies: 'one', title: 'GET /plain (one cookie sent, session untouched)', column: '/plain' },
  read: { method: 'GET', path: '/read', cookies: 'one', title: 'GET /read (session read, one cookie)', column: '/read, 1 cookie' },
  write: { method: 'POST', path: '/write', cookies: 'one', title: 'POST /write (session write, one cookie)', column: '/write, 1 cookie' },
  'new-visitor': { method: 'GET', path: '/read', cookies: 'none', title: 'GET /read without a cookie (new visitor)', column: 'new visitor' },
  'read-many': { method: 'GET', path: '/read', cookies: 'many', title: 'GET /read (session read, many sessions)', column: '/read, many' },
  'write-many': { method: 'POST', path: '/write', cookies: 'many', title: 'POST /write (session write, many sessions)', column: '/write, many' },
};
