import { Key, SessionError, type Session } from '@sess/core';
import { ADAPTERS, cookieHeader, findCookie, json, type Route, send, sessionErrorOf, text } from '@sess/test-harness';
import { COMPLEX_WORKFLOW_ROUTES } from '../src/actix-routes.js';
import { FailingWriteStore, STORE_SECRET } from '../src/failing-stores.js';
import { matrix, serverPool } from '../src/matrix.js';
import { MODES, storeFixtures } from '../src/stores.js';

// What every adapter must do beyond actix's scenarios (the "Build" §1 and DESIGN.md's
// improvements), identically for each adapter × store × mode, over real HTTP.

const stores = storeFixtures('sess-conformance:adapter-contract:');

beforeAll(() => Promise.all(stores.map((store) => store.open())));
afterAll(() => Promise.all(stores.map((store) => store.close())));

const counterOf = (session: Session): number => session.get<number>('counter') ?? 0;

const ROUTES: readonly Route[] = [
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

describe.each(matrix(ADAPTERS, stores, MODES))('$label:', ({ adapter, store, mode }) => {
  const servers = serverPool(adapter);
  afterEach(() => servers.closeAll());

  /** A server plus a session that has done one write (counter 1): its cookie. */
  async function withSession(): Promise<{ url: string; cookie: string }> {
    const server = await servers.start(ROUTES, { store: store.store(), key: Key.generate(), cookie: { contentSecurity: mode } });
    const first = await send(`${server.url}/do_something`, { method: 'POST' });
    const cookie = findCookie(first, 'id');
    expect(cookie).toBeDefined();
    return { url: server.url, cookie: cookieHeader(cookie!) };
  }

  const read = async (url: string, cookie: string): Promise<unknown> =>
    JSON.parse((await send(`${url}/`, { cookie })).body) as unknown;

  test('a response with status 500 persists nothing and sets no session cookie (@sess improvement 10)', async () => {
    const { url, cookie } = await withSession();
    const failed = await send(`${url}/write-then-500`, { method: 'POST', cookie });
    expect(failed.status).toBe(500);
    expect(failed.setCookie).toEqual([]);
    expect(await read(url, cookie)).toEqual({ user_id: null, counter: 1 });
  });

  test('a login that ends in a 503 leaves nobody logged in (@sess improvement 10)', async () => {
    const { url, cookie } = await withSession();
    const failed = await send(`${url}/login-then-503`, { method: 'POST', cookie });
    expect(failed.status).toBe(503);
    expect(failed.setCookie).toEqual([]);
    // Not renewed either: the old cookie still opens the old state.
    expect(await read(url, cookie)).toEqual({ user_id: null, counter: 1 });
  });

  test('a handler that throws gets the framework 500 and persists nothing', async () => {
    const { url, cookie } = await withSession();
    // Hono's default onError logs errors that are not HTTPExceptions; this one is on purpose.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => {});
    const failed = await send(`${url}/write-then-throw`, { method: 'POST', cookie }).finally(() => quiet.mockRestore());
    expect(failed.status).toBe(500);
    expect(failed.setCookie).toEqual([]);
    expect(await read(url, cookie)).toEqual({ user_id: null, counter: 1 });
  });

  test('a 4xx response persists the changes (only 5xx is a failure)', async () => {
    const { url, cookie } = await withSession();
    const notFound = await send(`${url}/write-then-404`, { method: 'POST', cookie });
    expect(notFound.status).toBe(404);
    const next = findCookie(notFound, 'id');
    expect(next).toBeDefined();
    expect(await read(url, cookieHeader(next!))).toEqual({ user_id: null, counter: 11 });
  });

  test("the handler's own Set-Cookie headers are kept next to the session cookie", async () => {
    const { url, cookie } = await withSession();
    const res = await send(`${url}/with-own-cookies`, { method: 'POST', cookie });
    expect(res.status).toBe(200);
    expect(res.cookies.map((c) => c.name).sort()).toEqual(['id', 'lang', 'theme']);
    expect(findCookie(res, 'theme')?.value).toBe('dark');
    expect(await read(url, cookieHeader(findCookie(res, 'id')!))).toEqual({ user_id: null, counter: 2 });
  });

  test("a purge's removal cookie is appended next to the handler's cookie", async () => {
    const { url, cookie } = await withSession();
    const res = await send(`${url}/logout-with-own-cookie`, { method: 'POST', cookie });
    expect(res.cookies.map((c) => c.name).sort()).toEqual(['farewell', 'id']);
    expect(findCookie(res, 'id')).toMatchObject({ value: '', maxAge: 0 });
  });

  test('the first cookie with the session name wins, as in actix-web', async () => {
    const { url, cookie } = await withSession();
    const res = await send(`${url}/`, { cookie: `theme=dark; ${cookie}; id=garbage` });
    expect(JSON.parse(res.body)).toEqual({ user_id: null, counter: 1 });
  });
});

describe.each(matrix(ADAPTERS, [{ name: 'failing-write mock' }], MODES))('$label:', ({ adapter, mode }) => {
  const servers = serverPool(adapter);
  afterEach(() => servers.closeAll());

  test("a store failure while committing replaces the handler's response, its cookies included, with an opaque 500", async () => {
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
    const server = await servers.start(routes, { store: new FailingWriteStore(), key: Key.generate(), cookie: { contentSecurity: mode } });

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
  });
});
