import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Key, type ContentSecurity } from '@sess/core';
import { bundleEntries, type EntryBundle } from '../src/bundle-entries.js';
import type { RuntimeName } from '../src/runtime-binaries.js';
import type { RunningServer } from '../src/server-process.js';
import { startRuntime } from '../src/start-runtime.js';
import { Browser, tamper } from './browser.js';
import { sealCookie, signedSessionKey } from './seal.js';

// The Hono demo app (through src/portable-app.ts), bundled with esbuild and served by Node, Bun,
// Deno and workerd at once, all with the same key; the same HTTP checks run against each, and a
// cookie sealed by each runtime is opened by every other one. A runtime that cannot start fails
// its tests with its output; none is ever skipped.

const RUNTIMES: readonly RuntimeName[] = ['node', 'bun', 'deno', 'workerd'];
const PACKAGE_DIR = path.join(__dirname, '..');
// Generous: a cold Deno or workerd start on a busy CI machine takes seconds.
const START_TIMEOUT_MS = 45_000;
const KEY_BYTES = randomBytes(64);
const SESSION_KEY = KEY_BYTES.toString('base64');

jest.setTimeout(20_000);

let workDir: string | undefined;
const servers = new Map<RuntimeName, RunningServer>();
const startErrors = new Map<RuntimeName, unknown>();
let bundles: Record<RuntimeName, EntryBundle> | undefined;
let bundleError: unknown;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'sess-runtimes-'));
  try {
    bundles = await bundleEntries(PACKAGE_DIR, workDir);
  } catch (error) {
    bundleError = error;
    return;
  }
  // All four start at once; one that fails is recorded, so its own tests fail with the reason
  // while the other runtimes are still checked.
  await Promise.all(
    RUNTIMES.map(async (runtime) => {
      try {
        servers.set(
          runtime,
          await startRuntime(runtime, {
            bundle: bundles![runtime].file,
            sessionKey: SESSION_KEY,
            packageDir: PACKAGE_DIR,
            timeoutMs: START_TIMEOUT_MS,
          }),
        );
      } catch (error) {
        startErrors.set(runtime, error);
      }
    }),
  );
}, START_TIMEOUT_MS * 2 + 15_000);

afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.stop()));
  servers.clear();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function server(runtime: RuntimeName): RunningServer {
  const running = servers.get(runtime);
  if (running) return running;
  if (bundleError) throw new Error(`bundling the entries failed: ${messageOf(bundleError)}`, { cause: bundleError });
  const cause = startErrors.get(runtime);
  throw new Error(`${runtime} did not start: ${messageOf(cause)}`, { cause });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function browser(runtime: RuntimeName, mount: string): Browser {
  return new Browser(server(runtime).baseUrl, mount, runtime);
}

interface StoreCase {
  readonly label: string;
  readonly mount: string;
  /** Whether the state lives server-side, so a renewed or purged session's old cookie opens nothing. */
  readonly serverSide: boolean;
  readonly contentSecurity: ContentSecurity;
}

const STORES: readonly StoreCase[] = [
  {
    label: 'cookie store, private',
    mount: '/cookie',
    serverSide: false,
    contentSecurity: 'private',
  },
  {
    label: 'memory store, signed',
    mount: '/memory',
    serverSide: true,
    contentSecurity: 'signed',
  },
];

function sealOptions(store: StoreCase) {
  return { path: store.mount, contentSecurity: store.contentSecurity };
}

describe.each(RUNTIMES)('%s', (runtime) => {
  test(`${runtime}: serves the app (X-Runtime says ${runtime})`, async () => {
    const response = await fetch(`${server(runtime).baseUrl}/cookie`);
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-runtime')).toBe(runtime);
  });

  if (runtime !== 'node') {
    test(`${runtime}: its bundle imports nothing from outside (no node: module)`, () => {
      if (!bundles) throw new Error(`bundling the entries failed: ${messageOf(bundleError)}`, { cause: bundleError });
      expect(bundles[runtime].externalImports).toEqual([]);
    });
  }

  describe.each(STORES)('$label', (store) => {
    test(`${runtime}: a new visitor gets no cookie (${store.label})`, async () => {
      const b = browser(runtime, store.mount);
      const page = await b.page();
      expect(page.visit.status).toBe(200);
      expect(page.visit.contentType).toMatch(/^text\/html/);
      expect(page.visit.sessionCookies).toEqual([]);
      expect(page).toMatchObject({ counter: 0, user: undefined, status: 'unchanged', canLogIn: true });
    });

    test(`${runtime}: a write sets the session cookie (${store.label})`, async () => {
      const b = browser(runtime, store.mount);
      const visit = await b.go('/counter', {});
      expect(visit.status).toBe(303);
      expect(visit.sessionCookies).toHaveLength(1);
      const [header] = visit.sessionCookies;
      // A browser-session cookie: no Max-Age or Expires, and @sess's secure defaults.
      expect(header).toMatch(new RegExp(`^id=[^;]+; Path=${store.mount}; HttpOnly; Secure; SameSite=Lax$`));
      // private: encrypted; signed: a MAC and a session key. Either way the state is not in clear.
      expect(decodeURIComponent(b.cookie!)).not.toMatch(/counter/);
    });

    test(`${runtime}: the session reads back (${store.label})`, async () => {
      const b = browser(runtime, store.mount);
      await b.go('/counter', {});
      await b.go('/counter', {});
      const page = await b.page();
      expect(page).toMatchObject({ counter: 2, user: undefined, status: 'unchanged' });
      // Reading an unchanged browser session sends no cookie again.
      expect(page.visit.sessionCookies).toEqual([]);
    });

    test(`${runtime}: login renews the session (${store.label})`, async () => {
      const b = browser(runtime, store.mount);
      await b.go('/counter', {});
      const beforeLogin = b.cookie;
      const login = await b.go('/login', { user: `ferris on ${runtime}` });
      expect(login.status).toBe(303);
      expect(login.sessionCookies).toHaveLength(1);
      expect(b.cookie).toBeDefined();
      expect(b.cookie).not.toBe(beforeLogin);
      expect(await b.page()).toMatchObject({ counter: 1, user: `ferris on ${runtime}`, canLogIn: false });

      // The pre-login cookie: renewed away server-side; a cookie store can only keep the old state.
      const stale = browser(runtime, store.mount);
      stale.cookie = beforeLogin;
      expect(await stale.page()).toMatchObject({ user: undefined, counter: store.serverSide ? 0 : 1 });
    });

    test(`${runtime}: logout purges the session (${store.label})`, async () => {
      const b = browser(runtime, store.mount);
      await b.go('/counter', {});
      await b.go('/login', { user: 'ferris' });
      const loggedIn = b.cookie;
      const logout = await b.go('/logout', {});
      expect(logout.status).toBe(303);
      expect(logout.sessionCookies).toHaveLength(1);
      // The removal cookie: empty, expired, and with the attributes of the cookie it removes.
      const removal = logout.sessionCookies[0]!.split('; ');
      expect(removal[0]).toBe('id=');
      expect(removal).toEqual(expect.arrayContaining(['Max-Age=0', `Path=${store.mount}`, 'HttpOnly', 'Secure', 'SameSite=Lax']));
      expect(removal.find((attribute) => attribute.startsWith('Expires='))).toMatch(/ 19[0-9]{2} /);
      expect(b.cookie).toBeUndefined();
      expect(await b.page()).toMatchObject({ counter: 0, user: undefined, status: 'unchanged', canLogIn: true });

      // Replaying the logged-in cookie: the memory store deleted the state; a cookie carries its own.
      const replay = browser(runtime, store.mount);
      replay.cookie = loggedIn;
      expect((await replay.page()).user).toBe(store.serverSide ? undefined : 'ferris');
    });

    test(`${runtime}: a tampered or foreign cookie is an empty session (${store.label})`, async () => {
      const b = browser(runtime, store.mount);
      await b.go('/counter', {});
      await b.go('/login', { user: 'ferris' });
      const genuine = b.cookie!;
      expect((await b.page()).user).toBe('ferris');

      const attacker = browser(runtime, store.mount);
      attacker.cookie = tamper(genuine);
      expect(attacker.cookie).not.toBe(genuine);
      const tampered = await attacker.page();
      expect(tampered).toMatchObject({ counter: 0, user: undefined, status: 'unchanged' });
      // Rejected without a word on the wire: no removal cookie, no new cookie.
      expect(tampered.visit.sessionCookies).toEqual([]);

      // Sealed by another key: for the memory store, over the genuine session's own key.
      const content = store.serverSide ? { sessionKey: signedSessionKey(genuine) } : { user: 'mallory' };
      attacker.cookie = await sealCookie(Key.generate(), sealOptions(store), content);
      const foreign = await attacker.page();
      expect(foreign).toMatchObject({ counter: 0, user: undefined, status: 'unchanged' });
      expect(foreign.visit.sessionCookies).toEqual([]);

      // The control: the same cookie sealed here with the right key opens, so the key alone
      // made the difference.
      attacker.cookie = await sealCookie(Key.from(KEY_BYTES), sealOptions(store), store.serverSide ? content : { user: 'sealed by the test' });
      expect((await attacker.page()).user).toBe(store.serverSide ? 'ferris' : 'sealed by the test');
    });
  });
});

const PAIRS = RUNTIMES.flatMap((from) => RUNTIMES.filter((to) => to !== from).map((to) => [from, to] as const));

// Both sealing modes travel between runtimes: the cookie store keeps the state in the cookie, so
// only the shared key decides whether another runtime opens it.
const CROSS_RUNTIME_MOUNTS: readonly { label: string; mount: string; contentSecurity: ContentSecurity }[] = [
  { label: 'cookie store, private', mount: '/cookie', contentSecurity: 'private' },
  { label: 'cookie store, signed', mount: '/signed', contentSecurity: 'signed' },
];

describe.each(CROSS_RUNTIME_MOUNTS)('across runtimes ($label, same key)', ({ label, mount, contentSecurity }) => {
  test.each(PAIRS)(`%s → %s: a cookie sealed on the first opens on the second (${label})`, async (from, to) => {
    const sealer = browser(from, mount);
    await sealer.go('/counter', {});
    await sealer.go('/login', { user: `sealed on ${from}` });
    // The mount seals as it says: a signed cookie carries its state in clear after the MAC, an
    // encrypted one does not.
    expect(decodeURIComponent(sealer.cookie!).includes(`sealed on ${from}`)).toBe(contentSecurity === 'signed');

    const opener = browser(to, mount);
    opener.cookie = sealer.cookie;
    const page = await opener.page();
    expect(page).toMatchObject({ counter: 1, user: `sealed on ${from}`, status: 'unchanged' });
    expect(page.visit.sessionCookies).toEqual([]);

    // And back: what the second runtime seals, the first opens.
    await opener.go('/counter', {});
    expect(opener.cookie).not.toBe(sealer.cookie);
    sealer.cookie = opener.cookie;
    expect(await sealer.page()).toMatchObject({ counter: 2, user: `sealed on ${from}` });
  });
});
