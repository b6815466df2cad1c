import { CookieSessionStore, Key, MemorySessionStore, SessionError } from '@sess/core';
import { COOKIE_STORAGE_ROUTES, opaqueErrorRoutes } from '../actix-routes.js';
import type { AdapterCell } from '../describe-adapter.js';
import { FailingLoadStore, FailingWriteStore, STORE_SECRET } from '../failing-stores.js';
import { cookieHeader, send } from '../http-client.js';
import { json, type Route } from '../route-table.js';
import { sessionErrorOf } from '../session-error-of.js';

/**
 * actix-session's integration tests (tests/middleware.rs, tests/opaque_errors.rs) and the same
 * property at commit: store failures become an opaque 500 whose details reach only the
 * framework's error handling. These bring their own stores, so they run once per mode.
 *
 * @example
 * ```ts
 * integrationTests(cell)
 * ```
 */
export function integrationTests(cell: AdapterCell): void {
  test('cookie_storage', () => cookieStorage(cell));
  test('errors_are_opaque', () => errorsAreOpaque(cell));
  test('a cookie sealed by another key is ignored, not an error', () => foreignCookieIsIgnored(cell));
  test("a store failure while committing replaces the handler's response, its cookies included, with an opaque 500", () => commitFailureIsOpaque500(cell));
}

async function cookieStorage(cell: AdapterCell): Promise<void> {
  const server = await cell.start(COOKIE_STORAGE_ROUTES, {
    store: new CookieSessionStore(),
    key: Key.generate(),
    cookie: { path: '/test', domain: 'localhost', contentSecurity: cell.mode },
  });

  const login = await send(`${server.url}/login`, { method: 'POST' });
  const [cookie] = login.cookies;
  expect(cookie).toMatchObject({ name: 'id', path: '/test', secure: true, httpOnly: true, domain: 'localhost' });
  expect(cookie?.maxAge).toBeUndefined();

  const logout = await send(`${server.url}/logout`, { method: 'POST', cookie: cookieHeader(cookie!) });
  expect(logout.cookies[0]).toMatchObject({
    name: 'id',
    path: '/test',
    secure: true,
    httpOnly: true,
    maxAge: 0,
    domain: 'localhost',
  });
}

async function errorsAreOpaque(cell: AdapterCell): Promise<void> {
  const { routes, calls } = opaqueErrorRoutes();
  const server = await cell.start(routes, {
    store: new FailingLoadStore(),
    key: Key.generate(),
    cookie: { contentSecurity: cell.mode },
  });

  const created = await send(`${server.url}/create_session`, { method: 'POST' });
  const [cookie] = created.cookies;
  expect(cookie).toBeDefined();

  const failed = await send(`${server.url}/load_session_with_error`, { method: 'POST', cookie: cookieHeader(cookie!) });
  expect(failed.status).toBe(500);
  expect(failed.body).not.toContain(STORE_SECRET);
  expect(failed.setCookie).toEqual([]);
  // The handler is never reached.
  expect(calls()).toBe(0);

  // The error reached the framework's own error handling: a 500 that must not be exposed,
  // with a generic message; the store's detail only in the cause chain, for logs.
  expect(server.errors).toHaveLength(1);
  const error = sessionErrorOf(server.errors[0]);
  expect(error).toBeInstanceOf(SessionError);
  expect(error).toMatchObject({ status: 500, statusCode: 500, expose: false, code: 'STORE_LOAD' });
  expect(error?.message).not.toContain(STORE_SECRET);
  expect((error?.cause as Error).message).toBe(STORE_SECRET);
}

async function foreignCookieIsIgnored(cell: AdapterCell): Promise<void> {
  // Not in actix's suite, but the same property with a server-side store: a tampered or
  // foreign cookie is not an error at all, just no session.
  const routes = COOKIE_STORAGE_ROUTES;
  const options = { store: new MemorySessionStore(), cookie: { contentSecurity: cell.mode } };
  const one = await cell.start(routes, { ...options, key: Key.generate() });
  const other = await cell.start(routes, { ...options, key: Key.generate() });

  const [cookie] = (await send(`${one.url}/login`, { method: 'POST' })).cookies;
  const foreign = await send(`${other.url}/logout`, { method: 'POST', cookie: cookieHeader(cookie!) });
  expect(foreign.status).toBe(200);
  expect(foreign.body).toBe('Logged out');
  // The foreign cookie opened nothing; purging still clears it from the browser
  // (@sess improvement 2: actix sends no removal cookie when there is no loaded key).
  expect(foreign.cookies).toEqual([expect.objectContaining({ name: 'id', value: '', maxAge: 0 })]);
  expect(other.errors).toEqual([]);
}

async function commitFailureIsOpaque500(cell: AdapterCell): Promise<void> {
  let calls = 0;
  const routes: Route[] = [
    {
      method: 'POST',
      path: '/create_session',
      handle: (session) => {
        calls += 1;
        session.insert('user_id', 'id');
        return json({ created: true }, { status: 201, setCookie: ['logged_in=1; Path=/'] });
      },
    },
  ];
  const server = await cell.start(routes, { store: new FailingWriteStore(), key: Key.generate(), cookie: { contentSecurity: cell.mode } });

  const res = await send(`${server.url}/create_session`, { method: 'POST' });
  expect(calls).toBe(1);
  expect(res.status).toBe(500);
  expect(res.body).not.toContain(STORE_SECRET);
  expect(res.body).not.toContain('created');
  // Nothing of the handler's response survives, its own cookies included.
  expect(res.setCookie).toEqual([]);

  expect(server.errors).toHaveLength(1);
  const error = sessionErrorOf(server.errors[0]);
  expect(error).toBeInstanceOf(SessionError);
  expect(error).toMatchObject({ status: 500, expose: false, code: 'STORE_SAVE' });
  expect(error?.message).not.toContain(STORE_SECRET);
}
