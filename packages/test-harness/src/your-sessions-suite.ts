import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieSessionStore, Key, MemorySessionStore, type SessionOptions, type SessionStore } from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { createClient } from 'redis';

/** One row of "Your sessions", as the page shows it. */
interface Row {
  id: string;
  device: string;
  thisDevice: boolean;
  canSignOut: boolean;
}

/** What a device sees of the page. */
interface Seen {
  user: string | undefined;
  rows: Row[] | undefined;
  canSignOutOthers: boolean;
  unlisted: boolean;
}

function read(html: string): Seen {
  const section = /<section id="sessions">([\s\S]*?)<\/section>/.exec(html)?.[1];
  const rows = section?.includes('<ul>')
    ? section.split('<li class="session"').slice(1).map((li) => ({
        id: /data-id="([^"]*)"/.exec(li)![1]!,
        device: /<span class="device">([^<]*)<\/span>/.exec(li)![1]!,
        thisDevice: li.includes('class="this-device"'),
        canSignOut: li.includes('class="sign-out"'),
      }))
    : undefined;
  return {
    user: /id="user-name">([^<]*)</.exec(html)?.[1],
    rows,
    canSignOutOthers: section?.includes('id="sign-out-others"') ?? false,
    unlisted: section?.includes('cannot be listed') ?? false,
  };
}

/** A browser on one device: its own user agent and its own session cookie `id`. */
function device(base: string, userAgent: string) {
  let cookie: string | undefined;
  const go = async (path: string, form?: Record<string, string>): Promise<Response> => {
    const headers: Record<string, string> = { 'user-agent': userAgent, ...(cookie ? { cookie } : {}) };
    const res = await fetch(base + path, { method: form ? 'POST' : 'GET', redirect: 'manual', headers, body: form ? new URLSearchParams(form) : undefined });
    for (const header of res.headers.getSetCookie()) {
      const pair = header.split(';')[0]!;
      if (pair.startsWith('id=')) cookie = /Max-Age=0/i.test(header) ? undefined : pair;
    }
    return res;
  };
  return {
    go,
    page: async (): Promise<Seen> => read(await (await go('/')).text()),
    async signIn(user: string): Promise<void> {
      const res = await go('/login', { user });
      expect(res.status).toBe(303);
    },
  };
}

/**
 * The "Your sessions" section of a demo app, over real HTTP with the adapter's own `.owners`:
 * two devices of one user list each other, "this device" on their own row, "Sign out" on the
 * other's, "Sign out everywhere else"; another user never shows; the cookie store explains why
 * it cannot list. Every Node example runs the same body.
 *
 * @example
 * ```ts
 * describeYourSessions('express', (options) => createServer(createApp(options)))
 * ```
 */
export function describeYourSessions(name: string, serve: (options: SessionOptions) => Server): void {
  const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  redisUrl.pathname = '/2';
  const prefix = `sess-example-${name}-sessions:`;
  // A store per test (its own key prefix), so one test's sessions never show in another's list.
  const opened: RedisSessionStore[] = [];
  const redis = (): RedisSessionStore => {
    const store = new RedisSessionStore({ url: redisUrl.toString(), keyPrefix: `${prefix}${opened.length}:` });
    opened.push(store);
    return store;
  };
  let server: Server | undefined;

  const removeRedisKeys = async (): Promise<void> => {
    const client = createClient({ url: redisUrl.toString() });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*` })) for (const key of keys) await client.del(key);
    client.destroy();
  };
  beforeAll(removeRedisKeys);
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    await removeRedisKeys();
  });
  const start = async (store: SessionStore): Promise<string> => {
    server = serve({ store, key: Key.generate() });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  describe.each([
    { store: 'memory store', make: (): SessionStore => new MemorySessionStore() },
    { store: 'Redis store', make: (): SessionStore => redis() },
  ])(`examples/${name} "Your sessions" with the $store`, ({ make }) => {
    test('two devices of one user list both, "this device" on their own row; another user is never listed', async () => {
      const base = await start(make());
      const laptop = device(base, 'Laptop Firefox');
      const phone = device(base, 'Phone Safari');
      const other = device(base, 'Corro Desktop');
      expect((await laptop.page()).rows).toBeUndefined();
      await laptop.signIn('ferris');
      await phone.signIn('ferris');
      await other.signIn('corro');
      const seen = await laptop.page();
      expect(seen.user).toBe('ferris');
      expect(seen.rows?.map((row) => row.device).sort()).toEqual(['Laptop Firefox', 'Phone Safari']);
      expect(seen.rows?.filter((row) => row.thisDevice).map((row) => row.device)).toEqual(['Laptop Firefox']);
      expect(seen.rows?.filter((row) => row.canSignOut).map((row) => row.device)).toEqual(['Phone Safari']);
      expect(seen.canSignOutOthers).toBe(true);
      expect((await other.page()).rows?.map((row) => row.device)).toEqual(['Corro Desktop']);
    });

    test('"Sign out" on the other device\'s row: that device is signed out on its next page load', async () => {
      const base = await start(make());
      const laptop = device(base, 'Laptop Firefox');
      const phone = device(base, 'Phone Safari');
      await laptop.signIn('ferris');
      await phone.signIn('ferris');
      const target = (await laptop.page()).rows!.find((row) => row.device === 'Phone Safari')!;
      const res = await laptop.go('/sessions/revoke', { id: target.id });
      expect(res.status).toBe(303);
      const after = await phone.page();
      expect(after.user).toBeUndefined();
      expect(after.rows).toBeUndefined();
      expect((await laptop.page()).rows?.map((row) => row.device)).toEqual(['Laptop Firefox']);
    });

    test('"Sign out everywhere else" leaves only this device; a row id of another user signs out nothing', async () => {
      const base = await start(make());
      const [laptop, phone, tablet] = ['Laptop Firefox', 'Phone Safari', 'Tablet Chrome'].map((agent) => device(base, agent));
      const other = device(base, 'Corro Desktop');
      for (const d of [laptop!, phone!, tablet!]) await d.signIn('ferris');
      await other.signIn('corro');
      const corroId = (await other.page()).rows![0]!.id;
      await laptop!.go('/sessions/revoke', { id: corroId });
      expect((await other.page()).user).toBe('corro');
      expect((await laptop!.go('/sessions/revoke-others', {})).status).toBe(303);
      expect((await laptop!.page()).rows?.map((row) => row.device)).toEqual(['Laptop Firefox']);
      expect((await phone!.page()).user).toBeUndefined();
      expect((await tablet!.page()).user).toBeUndefined();
      expect((await other.page()).user).toBe('corro');
    });
  });

  test(`examples/${name} "Your sessions" with the cookie store: signed in, the page explains that cookie sessions cannot be listed`, async () => {
    const base = await start(new CookieSessionStore());
    const laptop = device(base, 'Laptop Firefox');
    await laptop.signIn('ferris');
    const seen = await laptop.page();
    expect(seen.user).toBe('ferris');
    expect(seen.unlisted).toBe(true);
    expect(seen.rows).toBeUndefined();
    expect(seen.canSignOutOthers).toBe(false);
  });
}
