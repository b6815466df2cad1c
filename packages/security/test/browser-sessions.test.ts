import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Key, type SessionOptions } from '@sess/core';
import { createApp as createExpressApp } from '@sess/example-express/src/app';
import { createApp as createFastifyApp } from '@sess/example-fastify/src/app';
import { createApp as createHonoApp } from '@sess/example-hono/src/app';
import { createApp as createKoaApp } from '@sess/example-koa/src/app';
import type { Browser, Page } from 'playwright-core';
import { launchChromiumBrowser } from '../src/chromium.js';
import { redisFixture } from '../src/stores.js';

// "Your sessions" on each demo app in a real browser (issue 14): two browser contexts (two
// devices, each with its own cookie jar and user agent) sign in as one user; the page lists both,
// one signs the other out, and the other is logged out on its next reload. Sessions in Redis.

const redis = redisFixture('sess-security:browser-sessions:');

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

let chromium: { browser: Browser; close(): Promise<void> };
beforeAll(async () => {
  await redis.open();
  chromium = await launchChromiumBrowser();
}, 40_000);
afterAll(async () => {
  await chromium?.close();
  await redis.close();
});

/** Submits the form of the button `selector` and waits for the page it redirects to. */
async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.click(selector)]);
}

async function signIn(page: Page, base: string, user: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.fill('#user', user);
  await submit(page, '#login');
  expect((await page.textContent('#user-name'))?.trim()).toBe(user);
}

describe.each(FRAMEWORKS)('$name example in Chromium', ({ listener }) => {
  test('two browser contexts signed in as one user: the page lists both, one signs the other out, the other is logged out on reload', async () => {
    const { store, held } = await redis.fresh();
    const server: Server = createServer(listener({ store, key: Key.generate() }));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    // localhost is a secure context for Chromium, so it accepts the Secure cookie over plain HTTP.
    const base = `http://localhost:${(server.address() as AddressInfo).port}`;
    const laptop = await chromium.browser.newContext({ userAgent: 'Laptop Chromium' });
    const phone = await chromium.browser.newContext({ userAgent: 'Phone Chromium' });
    try {
      const onLaptop = await laptop.newPage();
      const onPhone = await phone.newPage();
      await signIn(onLaptop, base, 'ferris');
      await signIn(onPhone, base, 'ferris');
      expect((await held()).size).toBe(2);

      await onLaptop.reload();
      const rows = onLaptop.locator('#sessions li.session');
      expect(await rows.count()).toBe(2);
      expect((await rows.locator('.device').allTextContents()).sort()).toEqual(['Laptop Chromium', 'Phone Chromium']);
      const mine = rows.filter({ has: onLaptop.locator('.this-device') });
      expect(await mine.count()).toBe(1);
      expect(await mine.locator('.device').textContent()).toBe('Laptop Chromium');
      const other = rows.filter({ hasText: 'Phone Chromium' });
      expect(await other.locator('.this-device').count()).toBe(0);

      await Promise.all([onLaptop.waitForEvent('load'), other.locator('button.sign-out').click()]);
      expect(await onLaptop.locator('#sessions li.session').count()).toBe(1);
      expect((await onLaptop.textContent('#user-name'))?.trim()).toBe('ferris');
      expect((await held()).size).toBe(1);

      await onPhone.reload();
      expect(await onPhone.locator('#user-name').count()).toBe(0);
      expect(await onPhone.locator('#login').count()).toBe(1);
      expect(await onPhone.locator('#sessions').count()).toBe(0);
    } finally {
      await laptop.close();
      await phone.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    }
  }, 30_000);
});
