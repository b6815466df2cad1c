// Registers jest tests: the jest globals are needed wherever this package is typechecked (the bench too).
/// <reference types="jest" />
import type { Server } from 'node:http';
import { listen } from '@sess/adapter-tests';
import { CookieSessionStore, Key, type SessionOptions, type SessionStore } from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { createClient } from 'redis';
import { browser } from './demo-browser.js';
import type { RunningServer } from './app-spec.js';

/**
 * Registers the demo app's browser-like tests (count, log in, log out; the status shown on the
 * page; a refused login) over real HTTP, with the cookie store and with Redis (database 2, a key
 * prefix of the example's own). Every example app on Node runs the same body.
 *
 * @example
 * ```ts
 * describeDemoApp('express', (options) => createServer(createApp(options)))
 * ```
 */
export function describeDemoApp(name: string, serve: (options: SessionOptions) => Server): void {
  const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  redisUrl.pathname = '/2';
  const prefix = `sess-example-${name}:`;
  let redis: RedisSessionStore;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    await removeRedisKeys(redisUrl.toString(), prefix);
    redis = new RedisSessionStore({ url: redisUrl.toString(), keyPrefix: prefix });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(async () => {
    await redis.close();
    await removeRedisKeys(redisUrl.toString(), prefix);
  });

  const start = async (store: SessionStore): Promise<string> => {
    server = await listen(serve({ store, key: Key.generate() }), []);
    return server.url;
  };

  describe.each([
    { store: 'cookie store', make: (): SessionStore => new CookieSessionStore(), invalidates: false },
    { store: 'Redis store', make: (): SessionStore => redis, invalidates: true },
  ])(`examples/${name} with the $store`, ({ make, invalidates }) => {
    test('count, log in (renew), log out (purge)', async () => {
      const base = await start(make());
      const b = browser(base);

      const home = await b.go('/');
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toMatch(/text\/html/);
      // A visitor who has not done anything gets no cookie.
      expect(home.headers.getSetCookie()).toEqual([]);
      expect(await b.page()).toEqual({ counter: 0, user: undefined, status: 'unchanged', lastStatus: undefined, canLogIn: true });

      // Each action redirects with the status its own request ended in; the page's request only reads.
      const increment = await b.go('/counter', {});
      expect(increment.headers.get('location')).toBe('/?status=changed');
      expect(await b.follow(increment)).toEqual({ counter: 1, user: undefined, status: 'unchanged', lastStatus: 'changed', canLogIn: true });
      await b.go('/counter', {});
      expect((await b.page()).counter).toBe(2);
      const beforeLogin = b.cookie;

      const login = await b.go('/login', { user: 'ferris <3' });
      expect(login.headers.get('location')).toBe('/?status=renewed');
      expect(b.cookie).toBeDefined();
      expect(b.cookie).not.toBe(beforeLogin);
      expect(await b.follow(login)).toEqual({ counter: 2, user: 'ferris &#60;3', status: 'unchanged', lastStatus: 'renewed', canLogIn: false });

      // The pre-login cookie: dead with Redis (renewed away), still the anonymous state in a cookie store.
      const stale = browser(base);
      stale.cookie = beforeLogin;
      expect(await stale.page()).toMatchObject({ user: undefined, counter: invalidates ? 0 : 2 });

      const afterLogin = b.cookie;
      const logout = await b.go('/logout', {});
      expect(logout.headers.get('location')).toBe('/?status=purged');
      expect(logout.headers.getSetCookie().some((header) => /^id=;.*Max-Age=0/i.test(header))).toBe(true);
      expect(await b.follow(logout)).toEqual({ counter: 0, user: undefined, status: 'unchanged', lastStatus: 'purged', canLogIn: true });

      // Replaying the logged-in cookie after logout: Redis has deleted the state.
      const replay = browser(base);
      replay.cookie = afterLogin;
      expect((await replay.page()).user).toBe(invalidates ? undefined : 'ferris &#60;3');
    });

    test('the page shows a status from its query only when it is a SessionStatus', async () => {
      const b = browser(await start(make()));
      for (const status of ['changed', 'renewed', 'purged', 'unchanged']) {
        expect((await b.page(`/?status=${status}`)).lastStatus).toBe(status);
      }
      const queries = ['status=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'status=Renewed', 'status=__proto__', 'status=toString', 'status=changed&status=purged', 'status='];
      for (const query of queries) {
        const res = await b.go(`/?${query}`);
        const html = await res.text();
        expect(res.status).toBe(200);
        expect(html).toContain('id="status">unchanged<');
        expect(html).not.toContain('id="last-status"');
        expect(html).not.toContain('<script');
      }
    });

    test('a login without a name is refused', async () => {
      const b = browser(await start(make()));
      const res = await b.go('/login', { user: '  ' });
      expect(res.status).toBe(400);
      expect(b.cookie).toBeUndefined();
    });
  });
}

async function removeRedisKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*` })) if (keys.length > 0) await client.del(keys);
  client.destroy();
}
