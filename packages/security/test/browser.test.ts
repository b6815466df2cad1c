import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { COOKIE_MAX_BYTES, Key, type SessionOptions } from '@sess/core';
import { createApp as createExpressApp } from '@sess/example-express/src/app';
import { createApp as createFastifyApp } from '@sess/example-fastify/src/app';
import { createApp as createHonoApp } from '@sess/example-hono/src/app';
import { createApp as createKoaApp } from '@sess/example-koa/src/app';
import type { Page } from 'playwright-core';
import { launchChromium } from '../src/chromium.js';
import { redisFixture } from '../src/stores.js';

// The demo app of each framework driven by a real browser (Debian's Chromium, headless, a fresh
// profile): the browser's own cookie jar and script sandbox decide whether the session cookie is
// accepted, sent back, hidden from page script and removed, as a user would experience it. The
// apps keep sessions in Redis (database 3), so logging out is also checked server-side.
// Screenshots of every step: test-output/browser/<framework>/<nn>-<step>.png (gitignored).

const OUTPUT = resolve(__dirname, '../../../test-output/browser');
const redis = redisFixture('sess-security:browser:');

const FRAMEWORKS: readonly { name: string; listener: (options: SessionOptions) => RequestListener }[] = [
  { name: 'express', listener: (options) => createExpressApp(options) },
  { name: 'koa', listener: (options) => createKoaApp(options).callback() },
  { name: 'hono', listener: (options) => getRequestListener(createHonoApp(options).fetch) },
  { name: 'fastify', listener: fastifyListener },
];

/** The Fastify demo as a request listener: its router, once its plugins have loaded. */
function fastifyListener(options: SessionOptions): RequestListener {
  const app = createFastifyApp(options);
  const ready = app.ready();
  return (req, res) => void ready.then(() => app.routing(req, res));
}

beforeAll(() => redis.open());
afterAll(() => redis.close());

/** Submits the form of the button `selector` and waits for the page it redirects to. */
async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.click(selector)]);
}

describe.each(FRAMEWORKS)('$name example in Chromium', ({ name, listener }) => {
  test('a real browser keeps the session across reloads, gets a new cookie at login, never shows it to page script (HttpOnly, SameSite=Lax, Path=/, Secure) and loses it at logout', async () => {
    const { store, held } = await redis.fresh();
    const server: Server = createServer(listener({ store, key: Key.generate() }));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    // localhost is a secure context for Chromium, so it accepts the Secure cookie over plain HTTP.
    const base = `http://localhost:${(server.address() as AddressInfo).port}`;
    const shots = resolve(OUTPUT, name);
    await rm(shots, { recursive: true, force: true });
    await mkdir(shots, { recursive: true });
    const browser = await launchChromium();
    try {
      const { context } = browser;
      const page = context.pages()[0] ?? (await context.newPage());
      const oversize: string[] = [];
      page.on('response', async (response) => {
        for (const header of await response.headerValues('set-cookie')) {
          const pair = header.split(';', 1)[0] as string;
          if (Buffer.byteLength(pair, 'latin1') > COOKIE_MAX_BYTES) oversize.push(`${response.url()}: ${pair.length}`);
        }
      });
      let step = 0;
      const shot = (label: string) => page.screenshot({ path: resolve(shots, `${String(++step).padStart(2, '0')}-${label}.png`) });
      const sessionCookie = async () => (await context.cookies(base)).find((cookie) => cookie.name === 'id');
      const text = async (selector: string) => (await page.textContent(selector))?.trim();

      // A first visit writes nothing, so it gets no cookie.
      await page.goto(`${base}/`);
      expect(await text('#counter')).toBe('0');
      expect(await sessionCookie()).toBeUndefined();
      await shot('open');

      await submit(page, '#increment');
      expect(await text('#counter')).toBe('1');
      // The page reports the status the action's request ended in; its own request only reads.
      expect(await text('#last-status')).toBe('changed');
      expect(await text('#status')).toBe('unchanged');
      const first = await sessionCookie();
      expect(first).toBeDefined();
      await shot('increment');

      await page.reload();
      expect(await text('#counter')).toBe('1');
      expect(await text('#status')).toBe('unchanged');
      expect((await sessionCookie())?.value).toBe(first!.value);
      await shot('reload');

      await page.fill('#user', 'ferris');
      await submit(page, '#login');
      expect(await text('#user-name')).toBe('ferris');
      expect(await text('#counter')).toBe('1');
      expect(await text('#last-status')).toBe('renewed');
      const renewed = await sessionCookie();
      // renew(): a new session key, so a new cookie value.
      expect(renewed?.value).toBeDefined();
      expect(renewed!.value).not.toBe(first!.value);
      expect((await held()).size).toBe(1);
      await shot('login');

      expect(renewed).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: true, domain: 'localhost' });
      // Page script sees its own cookies, never the session's. (Expressions as strings: they run in
      // the page, and this package compiles without the DOM library.)
      await page.evaluate("document.cookie = 'visible=1; path=/'");
      const scriptView = await page.evaluate<string>('document.cookie');
      expect(scriptView).toContain('visible=1');
      expect(scriptView).not.toContain('id=');
      await shot('cookie-hidden-from-script');

      await page.reload();
      expect(await text('#user-name')).toBe('ferris');
      await shot('reload-logged-in');

      await submit(page, '#logout');
      expect(await sessionCookie()).toBeUndefined();
      expect(await page.locator('#login').count()).toBe(1);
      expect(await page.locator('#user-name').count()).toBe(0);
      expect(await text('#counter')).toBe('0');
      expect(await text('#last-status')).toBe('purged');
      expect((await held()).size).toBe(0);
      await shot('logout');

      expect(oversize).toEqual([]);
    } finally {
      await browser.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    }
  }, 45_000);
});
