import type { AdapterCell } from '../describe-adapter.js';
import { cookieHeader, findCookie, send } from '../http-client.js';
import { read, withSession } from './contract-app.js';

/**
 * The handler's own `Set-Cookie` headers are kept next to the session's, and the session cookie
 * is read the way actix-web reads it.
 *
 * @example
 * ```ts
 * cookieTests(cell)
 * ```
 */
export function cookieTests(cell: AdapterCell): void {
  test("the handler's own Set-Cookie headers are kept next to the session cookie", () => handlerCookiesAreKept(cell));
  test("a purge's removal cookie is appended next to the handler's cookie", () => purgeCookieIsAppended(cell));
  test('the first cookie with the session name wins, as in actix-web', () => firstSessionCookieWins(cell));
}

async function handlerCookiesAreKept(cell: AdapterCell): Promise<void> {
  const { url, cookie } = await withSession(cell);
  const res = await send(`${url}/with-own-cookies`, { method: 'POST', cookie });
  expect(res.status).toBe(200);
  expect(res.cookies.map((c) => c.name).sort()).toEqual(['id', 'lang', 'theme']);
  expect(findCookie(res, 'theme')?.value).toBe('dark');
  expect(await read(url, cookieHeader(findCookie(res, 'id')!))).toEqual({ user_id: null, counter: 2 });
}

async function purgeCookieIsAppended(cell: AdapterCell): Promise<void> {
  const { url, cookie } = await withSession(cell);
  const res = await send(`${url}/logout-with-own-cookie`, { method: 'POST', cookie });
  expect(res.cookies.map((c) => c.name).sort()).toEqual(['farewell', 'id']);
  expect(findCookie(res, 'id')).toMatchObject({ value: '', maxAge: 0 });
}

async function firstSessionCookieWins(cell: AdapterCell): Promise<void> {
  const { url, cookie } = await withSession(cell);
  const res = await send(`${url}/`, { cookie: `theme=dark; ${cookie}; id=garbage` });
  expect(JSON.parse(res.body)).toEqual({ user_id: null, counter: 1 });
}
