import type { Session } from '@sess/core';
import { json, type Route, text } from './route-table.js';

/**
 * The handlers of actix-session's acceptance suite (`src/lib.rs`, module `test_helpers`) and
 * integration tests (`tests/middleware.rs`, `tests/opaque_errors.rs`), framework-neutral.
 * Reference: actix-session behavioural specification §10.1 and §10.3.
 */

/** actix's `IndexResponse`: `{"user_id":…,"counter":…}`. */
interface IndexResponse {
  readonly user_id: string | null;
  readonly counter: number;
  [key: string]: string | number | null;
}

function indexResponse(session: Session, counter: number): IndexResponse {
  return { user_id: session.get<string>('user_id') ?? null, counter };
}

/** GET `/`: reads `user_id` and `counter` (missing → 0), touches nothing. */
const index: Route = {
  method: 'GET',
  path: '/',
  handle: (session) => json(indexResponse(session, session.get<number>('counter') ?? 0)),
};

/** POST `/do_something`: counter + 1 (or 1), inserted. */
const doSomething: Route = {
  method: 'POST',
  path: '/do_something',
  handle: (session) => {
    const counter = (session.get<number>('counter') ?? 0) + 1;
    session.insert('counter', counter);
    return json(indexResponse(session, counter));
  },
};

/** POST `/login` with `{"user_id": …}`: insert, **then** renew. */
const login: Route = {
  method: 'POST',
  path: '/login',
  handle: (session, { body }) => {
    const userId = (JSON.parse(body) as { user_id: string }).user_id;
    session.insert('user_id', userId);
    session.renew();
    return json({ user_id: userId, counter: session.get<number>('counter') ?? 0 });
  },
};

/** POST `/logout`: purge when logged in. */
const logout: Route = {
  method: 'POST',
  path: '/logout',
  handle: (session) => {
    const userId = session.get<string>('user_id');
    if (userId === undefined) return text('Could not log out anonymous user');
    session.purge();
    return text(`Logged out: ${userId}`);
  },
};

/** GET `/protected/count`, only for a logged-in session; `counter` must exist (actix unwraps it). */
const count: Route = {
  method: 'GET',
  path: '/protected/count',
  guard: (session) => session.get<string>('user_id') !== undefined,
  handle: (session) => {
    const counter = session.get<number>('counter');
    if (counter === undefined) throw new Error('count: no counter in the session');
    return json(indexResponse(session, counter));
  },
};

/**
 * The app of `complex_workflow`: GET `/`, POST `/do_something`, `/login`, `/logout`.
 *
 * @example
 * ```ts
 * const server = await adapter.start(COMPLEX_WORKFLOW_ROUTES, options)
 * ```
 */
export const COMPLEX_WORKFLOW_ROUTES: readonly Route[] = [index, doSomething, login, logout];

/**
 * The app of `guard`: the complex workflow's routes plus the guarded `/protected/count`.
 *
 * @example
 * ```ts
 * const server = await adapter.start(GUARD_ROUTES, options)
 * ```
 */
export const GUARD_ROUTES: readonly Route[] = [...COMPLEX_WORKFLOW_ROUTES, count];

/**
 * The app of `basic_workflow`: `/` (any method) inserts `counter = 100`; `/test/` prints it.
 *
 * @example
 * ```ts
 * const server = await adapter.start(BASIC_WORKFLOW_ROUTES, options)
 * ```
 */
export const BASIC_WORKFLOW_ROUTES: readonly Route[] = [
  {
    method: 'ALL',
    path: '/',
    handle: (session) => {
      session.insert('counter', 100);
      return text('test');
    },
  },
  {
    method: 'ALL',
    path: '/test/',
    handle: (session) => {
      const counter = session.get<number>('counter');
      if (counter === undefined) throw new Error('basic_workflow: no counter in the session');
      return text(`counter: ${counter}`);
    },
  },
];

/**
 * The app of both expiration scenarios: `/` inserts `counter = 100`; `/test/` never touches the session.
 *
 * @example
 * ```ts
 * const server = await adapter.start(EXPIRATION_ROUTES, options)
 * ```
 */
export const EXPIRATION_ROUTES: readonly Route[] = [
  BASIC_WORKFLOW_ROUTES[0] as Route,
  { method: 'ALL', path: '/test/', handle: () => text('no-changes-in-session') },
];

/**
 * The app of `cookie_storage` (`tests/middleware.rs`): POST `/login` inserts `user_id`, POST `/logout` purges.
 *
 * @example
 * ```ts
 * const server = await adapter.start(COOKIE_STORAGE_ROUTES, options)
 * ```
 */
export const COOKIE_STORAGE_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/login',
    handle: (session) => {
      session.insert('user_id', 'id');
      return text('Logged in');
    },
  },
  {
    method: 'POST',
    path: '/logout',
    handle: (session) => {
      session.purge();
      return text('Logged out');
    },
  },
];

/**
 * The app of `errors_are_opaque` (`tests/opaque_errors.rs`), with a probe counting how many
 * times `/load_session_with_error` really ran (actix: never).
 *
 * @example
 * ```ts
 * const { routes, calls } = opaqueErrorRoutes()
 * ```
 */
export function opaqueErrorRoutes(): { routes: readonly Route[]; calls: () => number } {
  let calls = 0;
  const routes: Route[] = [
    {
      method: 'POST',
      path: '/create_session',
      handle: (session) => {
        session.insert('user_id', 'id');
        return text('Created');
      },
    },
    {
      method: 'POST',
      path: '/load_session_with_error',
      handle: () => {
        calls += 1;
        return text('Loaded');
      },
    },
  ];
  return { routes, calls: () => calls };
}
