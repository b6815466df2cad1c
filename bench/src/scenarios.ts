/** The four request shapes timed for every contender. */
export const SCENARIOS = ['plain', 'read', 'write', 'new-visitor'] as const;
/** One of {@link SCENARIOS}. */
export type Scenario = (typeof SCENARIOS)[number];

/** How a scenario's requests look on the wire. */
export interface ScenarioRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Whether the contender's session cookie goes with every request. */
  readonly withCookie: boolean;
  /** How the tables name it. */
  readonly title: string;
  /** A short name for the summary table's column. */
  readonly column: string;
}

/**
 * The routes every server has, identical across frameworks and libraries:
 * `GET /plain` answers without touching the session, `GET /read` returns the counter,
 * `POST /write` increments it; "new visitor" is `GET /read` without a cookie.
 *
 * @example
 * ```ts
 * SCENARIO_REQUESTS.write // { method: 'POST', path: '/write', withCookie: true, … }
 * ```
 */
export const SCENARIO_REQUESTS: Readonly<Record<Scenario, ScenarioRequest>> = {
  plain: { method: 'GET', path: '/plain', withCookie: true, title: 'GET /plain (cookie sent, session untouched)', column: '/plain' },
  read: { method: 'GET', path: '/read', withCookie: true, title: 'GET /read (session read)', column: '/read' },
  write: { method: 'POST', path: '/write', withCookie: true, title: 'POST /write (session write)', column: '/write' },
  'new-visitor': { method: 'GET', path: '/read', withCookie: false, title: 'GET /read without a cookie (new visitor)', column: 'new visitor' },
};
