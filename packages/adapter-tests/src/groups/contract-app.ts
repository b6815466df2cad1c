import { Key, type Session } from '@sess/core';
import { COMPLEX_WORKFLOW_ROUTES } from '../actix-routes.js';
import type { AdapterCell } from '../describe-adapter.js';
import { cookieHeader, findCookie, send } from '../http-client.js';
import { json, text, type Route } from '../route-table.js';

const counterOf = (session: Session): number => session.get<number>('counter') ?? 0;

/**
 * actix's complex-workflow routes plus the contract's own: writes that end in a 500, a 503, a
 * throw or a 404, and handlers that set cookies of their own.
 *
 * @example
 * ```ts
 * await cell.start(CONTRACT_ROUTES, options)
 * ```
 */
export const CONTRACT_ROUTES: readonly Route[] = [
  ...COMPLEX_WORKFLOW_ROUTES,
  {
    method: 'POST',
    path: '/write-then-500',
    handle: (session) => {
      session.insert('counter', 42);
      return json({ error: 'failed after writing' }, { status: 500 });
    },
  },
  {
    method: 'POST',
    path: '/login-then-503',
    handle: (session) => {
      session.insert('user_id', 'mallory');
      session.renew();
      return text('Service Unavailable', { status: 503 });
    },
  },
  {
    method: 'POST',
    path: '/write-then-throw',
    handle: (session) => {
      session.insert('counter', 99);
      throw new Error('the handler failed');
    },
  },
  {
    method: 'POST',
    path: '/write-then-404',
    handle: (session) => {
      session.insert('counter', counterOf(session) + 10);
      return text('Not here', { status: 404 });
    },
  },
  {
    method: 'POST',
    path: '/with-own-cookies',
    handle: (session) => {
      session.insert('counter', counterOf(session) + 1);
      return text('ok', { setCookie: ['theme=dark; Path=/', 'lang=en; Path=/'] });
    },
  },
  {
    method: 'POST',
    path: '/logout-with-own-cookie',
    handle: (session) => {
      session.purge();
      return text('bye', { setCookie: ['farewell=1; Path=/'] });
    },
  },
];

/**
 * Starts {@link CONTRACT_ROUTES} and gives a session that has done one write (counter 1): its cookie.
 *
 * @example
 * ```ts
 * const { url, cookie } = await withSession(cell)
 * ```
 */
export async function withSession(cell: AdapterCell): Promise<{ url: string; cookie: string }> {
  const server = await cell.start(CONTRACT_ROUTES, { store: cell.store.store(), key: Key.generate(), cookie: { contentSecurity: cell.mode } });
  const first = await send(`${server.url}/do_something`, { method: 'POST' });
  const cookie = findCookie(first, 'id');
  expect(cookie).toBeDefined();
  return { url: server.url, cookie: cookieHeader(cookie!) };
}

/**
 * What `GET /` shows for a cookie: the session's `user_id` and `counter`.
 *
 * @example
 * ```ts
 * expect(await read(url, cookie)).toEqual({ user_id: null, counter: 1 })
 * ```
 */
export const read = async (url: string, cookie: string): Promise<unknown> =>
  JSON.parse((await send(`${url}/`, { cookie })).body) as unknown;
