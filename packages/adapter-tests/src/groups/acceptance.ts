import { Key, persistentSession } from '@sess/core';
import {
  BASIC_WORKFLOW_ROUTES,
  COMPLEX_WORKFLOW_ROUTES,
  EXPIRATION_ROUTES,
  GUARD_ROUTES,
} from '../actix-routes.js';
import type { AdapterCell } from '../describe-adapter.js';
import { cookieHeader, findCookie, send } from '../http-client.js';

const SEVEN_DAYS = 7 * 24 * 60 * 60;

/**
 * actix-session's acceptance suite (src/lib.rs, module test_helpers): the five scenarios.
 *
 * @example
 * ```ts
 * acceptanceTests(cell)
 * ```
 */
export function acceptanceTests(cell: AdapterCell): void {
  test('basic_workflow', () => basicWorkflow(cell));
  test('expiration_is_refreshed_on_changes', () => expirationIsRefreshedOnChanges(cell));
  test('expiration_is_always_refreshed_if_configured_to_refresh_on_every_request', () => expirationIsRefreshedOnEveryRequest(cell));
  test('complex_workflow', () => complexWorkflow(cell));
  test('guard', () => guard(cell));
}

async function basicWorkflow(cell: AdapterCell): Promise<void> {
  const server = await cell.start(BASIC_WORKFLOW_ROUTES, {
    store: cell.store.store(),
    key: Key.generate(),
    cookie: { path: '/test/', name: 'actix-test', domain: 'localhost', contentSecurity: cell.mode },
    lifecycle: persistentSession({ sessionTtlSeconds: 100 }),
  });

  const first = await send(`${server.url}/`);
  const cookie = findCookie(first, 'actix-test');
  expect(cookie?.path).toBe('/test/');

  const second = await send(`${server.url}/test/`, { cookie: cookieHeader(cookie!) });
  expect(second.body).toBe('counter: 100');
}

async function expirationIsRefreshedOnChanges(cell: AdapterCell): Promise<void> {
  const server = await cell.start(EXPIRATION_ROUTES, {
    store: cell.store.store(),
    key: Key.generate(),
    cookie: { contentSecurity: cell.mode },
    lifecycle: persistentSession({ sessionTtlSeconds: 60 }),
  });

  const first = await send(`${server.url}/`);
  const cookie1 = findCookie(first, 'id');
  expect(cookie1?.maxAge).toBe(60);

  const unchanged = await send(`${server.url}/test/`, { cookie: cookieHeader(cookie1!) });
  expect(unchanged.setCookie).toEqual([]);

  const changed = await send(`${server.url}/`, { cookie: cookieHeader(cookie1!) });
  expect(findCookie(changed, 'id')?.maxAge).toBe(60);
}

async function expirationIsRefreshedOnEveryRequest(cell: AdapterCell): Promise<void> {
  const server = await cell.start(EXPIRATION_ROUTES, {
    store: cell.store.store(),
    key: Key.generate(),
    cookie: { contentSecurity: cell.mode },
    lifecycle: persistentSession({ sessionTtlSeconds: 60, extensionPolicy: 'on-every-request' }),
  });

  const first = await send(`${server.url}/`);
  const cookie1 = findCookie(first, 'id');
  expect(cookie1?.maxAge).toBe(60);

  const unchanged = await send(`${server.url}/test/`, { cookie: cookieHeader(cookie1!) });
  expect(findCookie(unchanged, 'id')?.maxAge).toBe(60);
}

async function complexWorkflow(cell: AdapterCell): Promise<void> {
  const server = await cell.start(COMPLEX_WORKFLOW_ROUTES, {
    store: cell.store.store(),
    key: Key.generate(),
    cookie: { name: 'test-session', contentSecurity: cell.mode },
    lifecycle: persistentSession({ sessionTtlSeconds: SEVEN_DAYS }),
  });
  const { url } = server;

  // 1. A fresh visitor who writes nothing gets no cookie.
  const step1 = await send(`${url}/`);
  expect(step1.setCookie).toEqual([]);
  expect(JSON.parse(step1.body)).toEqual({ user_id: null, counter: 0 });

  // 2. The first write issues the cookie, with the persistent session's Max-Age.
  const step2 = await send(`${url}/do_something`, { method: 'POST' });
  expect(JSON.parse(step2.body)).toEqual({ user_id: null, counter: 1 });
  const cookie1 = findCookie(step2, 'test-session');
  expect(cookie1?.maxAge).toBe(SEVEN_DAYS);

  // 3. Reading does not re-send it.
  const step3 = await send(`${url}/`, { cookie: cookieHeader(cookie1!) });
  expect(step3.setCookie).toEqual([]);
  expect(JSON.parse(step3.body)).toEqual({ user_id: null, counter: 1 });

  // 4. A change re-issues it with the same Max-Age.
  const step4 = await send(`${url}/do_something`, { method: 'POST', cookie: cookieHeader(cookie1!) });
  expect(JSON.parse(step4.body)).toEqual({ user_id: null, counter: 2 });
  const cookie2 = findCookie(step4, 'test-session');
  expect(cookie2?.maxAge).toBe(cookie1?.maxAge);

  // 5. Login renews: a new cookie value.
  const step5 = await send(`${url}/login`, { method: 'POST', cookie: cookieHeader(cookie2!), json: { user_id: 'ferris' } });
  const cookie3 = findCookie(step5, 'test-session');
  expect(cookie3?.value).not.toBe(cookie2?.value);
  expect(JSON.parse(step5.body)).toEqual({ user_id: 'ferris', counter: 2 });

  // 6. The renewed session carries the state.
  const step6 = await send(`${url}/`, { cookie: cookieHeader(cookie3!) });
  expect(JSON.parse(step6.body)).toEqual({ user_id: 'ferris', counter: 2 });

  // 7.
  const step7 = await send(`${url}/do_something`, { method: 'POST', cookie: cookieHeader(cookie3!) });
  expect(JSON.parse(step7.body)).toEqual({ user_id: 'ferris', counter: 3 });

  // 8. Replaying the pre-login cookie: dead where the store can invalidate, stale state otherwise.
  const step8 = await send(`${url}/`, { cookie: cookieHeader(cookie2!) });
  if (cell.store.invalidationSupported) {
    expect(step8.setCookie).toEqual([]);
    expect(JSON.parse(step8.body)).toEqual({ user_id: null, counter: 0 });
  } else {
    expect(JSON.parse(step8.body)).toEqual({ user_id: null, counter: 2 });
  }

  // 9. Logout purges: a removal cookie (Max-Age=0, Path=/). actix rebinds cookie_3 to it.
  const step9 = await send(`${url}/logout`, { method: 'POST', cookie: cookieHeader(cookie3!) });
  const removal = findCookie(step9, 'test-session');
  expect(removal?.maxAge).toBe(0);
  expect(removal?.path).toBe('/');
  expect(removal?.value).toBe('');

  // 10. The browser sends the removal cookie back: an empty value fails the crypto check.
  const step10 = await send(`${url}/`, { cookie: cookieHeader(removal!) });
  if (cell.store.invalidationSupported) expect(step10.setCookie).toEqual([]);
  expect(JSON.parse(step10.body)).toEqual({ user_id: null, counter: 0 });
}

async function guard(cell: AdapterCell): Promise<void> {
  const server = await cell.start(GUARD_ROUTES, {
    store: cell.store.store(),
    key: Key.generate(),
    cookie: { name: 'test-session', contentSecurity: cell.mode },
    lifecycle: persistentSession({ sessionTtlSeconds: SEVEN_DAYS }),
  });
  const { url } = server;

  // 1. The guard rejects an anonymous visitor: the route does not match.
  const step1 = await send(`${url}/protected/count`);
  expect(step1.status).not.toBeLessThan(300);

  const step2 = await send(`${url}/login`, { method: 'POST', json: { user_id: 'ferris' } });
  const cookie1 = findCookie(step2, 'test-session');
  expect(cookie1).toBeDefined();

  const step3 = await send(`${url}/do_something`, { method: 'POST', cookie: cookieHeader(cookie1!) });
  expect(JSON.parse(step3.body)).toEqual({ user_id: 'ferris', counter: 1 });
  const cookie2 = findCookie(step3, 'test-session');

  // 4. actix's comment says 3; its assertion (and the logic) says 1.
  const step4 = await send(`${url}/protected/count`, { cookie: cookieHeader(cookie2!) });
  expect(step4.status).toBe(200);
  expect(JSON.parse(step4.body)).toEqual({ user_id: 'ferris', counter: 1 });
}
