import { CookieSessionStore, Key, MemorySessionStore, SessionError } from '@sess/core';
import { ADAPTERS, cookieHeader, send, sessionErrorOf } from '@sess/test-harness';
import { COOKIE_STORAGE_ROUTES, opaqueErrorRoutes } from '../src/actix-routes.js';
import { FailingLoadStore, STORE_SECRET } from '../src/failing-stores.js';
import { matrix, serverPool } from '../src/matrix.js';
import { MODES } from '../src/stores.js';

// actix-session's integration tests (tests/middleware.rs and tests/opaque_errors.rs; reference
// §10.3) over real HTTP, for every adapter and both content-security modes.

describe.each(matrix(ADAPTERS, [{ name: 'cookie' }], MODES))('$label:', ({ adapter, mode }) => {
  const servers = serverPool(adapter);
  afterEach(() => servers.closeAll());

  test('cookie_storage', async () => {
    const server = await servers.start(COOKIE_STORAGE_ROUTES, {
      store: new CookieSessionStore(),
      key: Key.generate(),
      cookie: { path: '/test', domain: 'localhost', contentSecurity: mode },
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
  });
});

describe.each(matrix(ADAPTERS, [{ name: 'failing-load mock' }], MODES))('$label:', ({ adapter, mode }) => {
  const servers = serverPool(adapter);
  afterEach(() => servers.closeAll());

  test('errors_are_opaque', async () => {
    const { routes, calls } = opaqueErrorRoutes();
    const server = await servers.start(routes, {
      store: new FailingLoadStore(),
      key: Key.generate(),
      cookie: { contentSecurity: mode },
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
  });
});

// Not in actix's suite, but the same property with a server-side store: a tampered or foreign
// cookie is not an error at all, just no session.
describe.each(matrix(ADAPTERS, [{ name: 'memory' }], MODES))('$label:', ({ adapter, mode }) => {
  const servers = serverPool(adapter);
  afterEach(() => servers.closeAll());

  test('a cookie sealed by another key is ignored, not an error', async () => {
    const routes = COOKIE_STORAGE_ROUTES;
    const options = { store: new MemorySessionStore(), cookie: { contentSecurity: mode } };
    const one = await servers.start(routes, { ...options, key: Key.generate() });
    const other = await servers.start(routes, { ...options, key: Key.generate() });

    const [cookie] = (await send(`${one.url}/login`, { method: 'POST' })).cookies;
    const foreign = await send(`${other.url}/logout`, { method: 'POST', cookie: cookieHeader(cookie!) });
    expect(foreign.status).toBe(200);
    expect(foreign.body).toBe('Logged out');
    // The foreign cookie opened nothing; purging still clears it from the browser
    // (@sess improvement 2: actix sends no removal cookie when there is no loaded key).
    expect(foreign.cookies).toEqual([expect.objectContaining({ name: 'id', value: '', maxAge: 0 })]);
    expect(other.errors).toEqual([]);
  });
});
