import type { AddressInfo } from 'node:net';
import { CookieSessionStore, Key, type SessionStore } from '@sess/fastify';
import type { FastifyInstance } from 'fastify';
import { RedisSessionStore } from '@sess/redis';
import { createClient } from 'redis';
import { createApp } from '../src/app.js';

// Drives the demo like a browser would, over real HTTP: with the default cookie store, and with
// Redis (database 2, this file's own key prefix).

const REDIS_URL = (() => {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  url.pathname = '/2';
  return url.toString();
})();
const PREFIX = 'sess-example-fastify:';

async function removeRedisKeys(): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `${PREFIX}*` })) if (keys.length > 0) await client.del(keys);
  client.destroy();
}

let redis: RedisSessionStore;
let app: FastifyInstance | undefined;

beforeAll(async () => {
  await removeRedisKeys();
  redis = new RedisSessionStore({ url: REDIS_URL, keyPrefix: PREFIX });
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(async () => {
  await redis.close();
  await removeRedisKeys();
});

async function start(store: SessionStore): Promise<string> {
  app = createApp({ store, key: Key.generate() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** A tiny browser: one cookie jar entry for the session cookie `id`. */
function browser(base: string) {
  let cookie: string | undefined;
  return {
    get cookie() {
      return cookie;
    },
    set cookie(value) {
      cookie = value;
    },
    async go(path: string, form?: Record<string, string>) {
      const res = await fetch(base + path, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: cookie ? { cookie } : {},
        body: form ? new URLSearchParams(form) : undefined,
      });
      for (const header of res.headers.getSetCookie()) {
        const pair = header.split(';')[0]!;
        if (pair.startsWith('id=')) cookie = /Max-Age=0/i.test(header) ? undefined : pair;
      }
      return res;
    },
    /** Loads the page (by default `/`, or where an action redirected) and reads what it shows. */
    async page(path = '/') {
      const html = await (await this.go(path)).text();
      const text = (id: string) => new RegExp(`id="${id}">([^<]*)<`).exec(html)?.[1];
      return {
        counter: Number(text('counter')),
        user: text('user-name'),
        status: text('status'),
        lastStatus: text('last-status'),
        canLogIn: html.includes('id="login"'),
      };
    },
    /** The page an action's 303 leads to. */
    async follow(res: Response) {
      expect(res.status).toBe(303);
      return this.page(res.headers.get('location')!);
    },
  };
}

describe.each([
  { name: 'cookie store', store: () => new CookieSessionStore(), invalidates: false },
  { name: 'Redis store', store: () => redis, invalidates: true },
])('with the $name', ({ store, invalidates }) => {
  test('count, log in (renew), log out (purge)', async () => {
    const base = await start(store());
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
    const b = browser(await start(store()));
    for (const status of ['changed', 'renewed', 'purged', 'unchanged']) {
      expect((await b.page(`/?status=${status}`)).lastStatus).toBe(status);
    }
    for (const query of ['status=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'status=Renewed', 'status=__proto__', 'status=toString', 'status=changed&status=purged', 'status=']) {
      const res = await b.go(`/?${query}`);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain('id="status">unchanged<');
      expect(html).not.toContain('id="last-status"');
      expect(html).not.toContain('<script');
    }
  });

  test('a login without a name is refused', async () => {
    const b = browser(await start(store()));
    const res = await b.go('/login', { user: '  ' });
    expect(res.status).toBe(400);
    expect(b.cookie).toBeUndefined();
  });
});
