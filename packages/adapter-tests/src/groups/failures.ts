import type { AdapterCell } from '../describe-adapter.js';
import { cookieHeader, findCookie, send } from '../http-client.js';
import { read, withSession } from './contract-app.js';

/**
 * The ≥500 rule: a response of 500 or more (returned or thrown) persists nothing and sets no
 * session cookie; a 4xx persists the changes.
 *
 * @example
 * ```ts
 * failureTests(cell)
 * ```
 */
export function failureTests(cell: AdapterCell): void {
  test('a response with status 500 persists nothing and sets no session cookie (@sess improvement 10)', () => status500PersistsNothing(cell));
  test('a login that ends in a 503 leaves nobody logged in (@sess improvement 10)', () => loginEndingIn503LeavesNobody(cell));
  test('a handler that throws gets the framework 500 and persists nothing', () => throwingHandlerPersistsNothing(cell));
  test('a 4xx response persists the changes (only 5xx is a failure)', () => status4xxPersists(cell));
}

async function status500PersistsNothing(cell: AdapterCell): Promise<void> {
  const { url, cookie } = await withSession(cell);
  const failed = await send(`${url}/write-then-500`, { method: 'POST', cookie });
  expect(failed.status).toBe(500);
  expect(failed.setCookie).toEqual([]);
  expect(await read(url, cookie)).toEqual({ user_id: null, counter: 1 });
}

async function loginEndingIn503LeavesNobody(cell: AdapterCell): Promise<void> {
  const { url, cookie } = await withSession(cell);
  const failed = await send(`${url}/login-then-503`, { method: 'POST', cookie });
  expect(failed.status).toBe(503);
  expect(failed.setCookie).toEqual([]);
  // Not renewed either: the old cookie still opens the old state.
  expect(await read(url, cookie)).toEqual({ user_id: null, counter: 1 });
}

async function throwingHandlerPersistsNothing(cell: AdapterCell): Promise<void> {
  const { url, cookie } = await withSession(cell);
  // Hono's default onError logs errors that are not HTTPExceptions; this one is on purpose.
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => {});
  const failed = await send(`${url}/write-then-throw`, { method: 'POST', cookie }).finally(() => quiet.mockRestore());
  expect(failed.status).toBe(500);
  expect(failed.setCookie).toEqual([]);
  expect(await read(url, cookie)).toEqual({ user_id: null, counter: 1 });
}

async function status4xxPersists(cell: AdapterCell): Promise<void> {
  const { url, cookie } = await withSession(cell);
  const notFound = await send(`${url}/write-then-404`, { method: 'POST', cookie });
  expect(notFound.status).toBe(404);
  const next = findCookie(notFound, 'id');
  expect(next).toBeDefined();
  expect(await read(url, cookieHeader(next!))).toEqual({ user_id: null, counter: 11 });
}
