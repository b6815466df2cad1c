import type { JsonValue, Session } from '@sess/core';
import { json, type Route, text } from '@sess/test-harness';
import type { Barrier, Gate } from './gate.js';

const entries = (session: Session): JsonValue => session.entries() as JsonValue;

/** Parses a route body that must be a JSON object (an attacker-chosen state). */
function objectBody(body: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * GET `/echo`: the whole session as JSON (`entries()`), touching nothing. What an attacker would
 * love to see filled with a state the key never sealed.
 *
 * @example
 * ```ts
 * const { body } = await send(`${url}/echo`, { cookie })
 * ```
 */
export const ECHO: Route = { method: 'GET', path: '/echo', handle: (session) => json(entries(session)) };

/**
 * POST `/put`: inserts every key of the JSON object in the body (`__proto__` included, as data),
 * then answers the whole session.
 *
 * @example
 * ```ts
 * await send(`${url}/put`, { method: 'POST', body: JSON.stringify({ user: 'ferris' }) })
 * ```
 */
export const PUT: Route = {
  method: 'POST',
  path: '/put',
  handle: (session, { body }) => {
    const values = objectBody(body);
    for (const key of Object.keys(values)) session.insert(key, values[key]);
    return json(entries(session));
  },
};

/**
 * POST `/big?bytes=N`: inserts a string of N characters (`?char=` picks it, default `x`).
 *
 * @example
 * ```ts
 * await send(`${url}/big?bytes=5000`, { method: 'POST', cookie })
 * ```
 */
export const BIG: Route = {
  method: 'POST',
  path: '/big',
  handle: (session, { query }) => {
    const unit = query.get('char') ?? 'x';
    session.insert('big', unit.repeat(Math.ceil(Number(query.get('bytes')) / unit.length)));
    return text('stored');
  },
};

/**
 * POST `/login?user=NAME`: inserts `user`, then renews the session key (the fixation defence).
 *
 * @example
 * ```ts
 * const login = await send(`${url}/login?user=victim`, { method: 'POST', cookie: planted })
 * ```
 */
export const LOGIN: Route = {
  method: 'POST',
  path: '/login',
  handle: (session, { query }) => {
    session.insert('user', query.get('user') ?? 'ferris');
    session.renew();
    return json(entries(session));
  },
};

/**
 * POST `/renew`: renews the session key without changing the state.
 *
 * @example
 * ```ts
 * await send(`${url}/renew`, { method: 'POST', cookie })
 * ```
 */
export const RENEW: Route = {
  method: 'POST',
  path: '/renew',
  handle: (session) => {
    session.renew();
    return json(entries(session));
  },
};

/**
 * POST `/logout`: purges the session (deletes the state, clears the cookie).
 *
 * @example
 * ```ts
 * await send(`${url}/logout`, { method: 'POST', cookie })
 * ```
 */
export const LOGOUT: Route = {
  method: 'POST',
  path: '/logout',
  handle: (session) => {
    session.purge();
    return text('logged out');
  },
};

/**
 * POST `/counter`: increments `counter` (1 when absent) and answers the session.
 *
 * @example
 * ```ts
 * await send(`${url}/counter`, { method: 'POST', cookie })
 * ```
 */
export const COUNTER: Route = {
  method: 'POST',
  path: '/counter',
  handle: (session) => {
    session.updateOr('counter', 1, (n: number) => n + 1);
    return json(entries(session));
  },
};

/**
 * POST `/write?writer=I&delayMs=D`: one of many concurrent writers. It has loaded the session,
 * waits at `barrier` until every writer has loaded it too, waits `D` ms more (so that the writes
 * land in an order of their own), then writes its full signature: `writer = I` and a key `w<I>`
 * of its own. A final state holding two writers' keys, or a `writer` that does not match its
 * `w<I>`, is a torn or merged write.
 *
 * @example
 * ```ts
 * const barrier = createBarrier(50)
 * await adapter.start([writeRoute(barrier)], options)
 * ```
 */
export function writeRoute(barrier: Barrier): Route {
  return {
    method: 'POST',
    path: '/write',
    handle: async (session, { query }) => {
      const writer = Number(query.get('writer'));
      await barrier.arrive();
      await new Promise((resolve) => setTimeout(resolve, Number(query.get('delayMs') ?? 0)));
      session.insert('writer', writer);
      session.insert(`w${writer}`, { by: writer, payload: `written by ${writer} `.repeat(4) });
      return json(entries(session));
    },
  };
}

/**
 * POST `/slow`: loads the session, waits at `gate` (a slow database call, say), then writes
 * `slow: true`. Raced against a logout or a renewal made while it waits.
 *
 * @example
 * ```ts
 * const gate = createGate()
 * await adapter.start([...routes, slowRoute(gate)], options)
 * ```
 */
export function slowRoute(gate: Gate): Route {
  return {
    method: 'POST',
    path: '/slow',
    handle: async (session) => {
      await gate.wait();
      session.insert('slow', true);
      return json(entries(session));
    },
  };
}

/**
 * POST `/elevate`: a slow privilege change. It loads the session, waits at `gate`, then marks it
 * `elevated` and renews the key, as a "confirm your password" or second-factor step would. Raced
 * against a logout made while it waits.
 *
 * @example
 * ```ts
 * await adapter.start([...routes, slowRenewRoute(gate)], options)
 * ```
 */
export function slowRenewRoute(gate: Gate): Route {
  return {
    method: 'POST',
    path: '/elevate',
    handle: async (session) => {
      await gate.wait();
      session.insert('elevated', true);
      session.renew();
      return json(entries(session));
    },
  };
}
