import { browserSession, Key } from '@sess/core';
import { PostgresSessionStore } from '@sess/postgres';
import { Browser, startExpressApp, type ExpressApp } from './helpers/express-app.js';
import { dropTable, testPool, uniqueTable } from './helpers/database.js';

// @sess/express over real HTTP with a PostgresSessionStore: concurrent writes, a user's
// sessions, the idle and absolute timeouts, each checked in the table too.

const admin = testPool();
const table = uniqueTable('express');
const apps: ExpressApp[] = [];
const stores: PostgresSessionStore[] = [];

const newStore = (): PostgresSessionStore => {
  const store = new PostgresSessionStore({ pool: admin, tableName: table, cleanupIntervalSeconds: false });
  stores.push(store);
  return store;
};
const start = async (options: Omit<Parameters<typeof startExpressApp>[0], 'store'> & { store?: PostgresSessionStore }): Promise<ExpressApp> => {
  const app = await startExpressApp({ store: newStore(), cookie: { secure: false }, ...options });
  apps.push(app);
  return app;
};
const rowOf = async (ownerId: string) => (await admin.query(`SELECT key, state FROM "${table}" WHERE owner = $1 AND expires_at > now()`, [ownerId])).rows;

beforeAll(async () => {
  await newStore().createSchema();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await dropTable(admin, table);
  await admin.end();
});

test('express: 32 concurrent updateOr(n, 0, n => n + 1) requests on one session leave n = 32', async () => {
  const app = await start({ key: Key.generate() });
  const browser = new Browser(app.url);
  await browser.json('POST', '/login?user=counter');
  const answers = await Promise.all(Array.from({ length: 32 }, () => browser.request('POST', '/inc')));
  expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 32 }, () => 200));
  expect(await browser.json('GET', '/me')).toEqual({ user: 'counter', n: 32 });
  const [row] = await rowOf('counter');
  expect(JSON.parse(row.state).state.n).toBe(32);
});

test('express: two app servers (two stores, one table) each serving 16 concurrent increments of one session: n = 32', async () => {
  const key = Key.generate();
  const [one, two] = [await start({ key }), await start({ key })];
  const browser = new Browser(one.url);
  await browser.json('POST', '/login?user=two-servers');
  // Each server chains its own requests; only the database orders the two servers' writes.
  await Promise.all(Array.from({ length: 32 }, (_, i) => browser.json('POST', '/inc', (i % 2 === 0 ? one : two).url)));
  expect(await browser.json('GET', '/me', two.url)).toEqual({ user: 'two-servers', n: 32 });
});

test('express: a user\'s sessions: list (current marked, details shown), revoke one, revoke the others, and the per-owner cap', async () => {
  const app = await start({ key: Key.generate(), owners: { maxSessionsPerOwner: 3 } });
  const [laptop, phone, tablet, tv] = ['laptop', 'phone', 'tablet', 'tv'].map((ua) => new Browser(app.url, ua)) as [Browser, Browser, Browser, Browser];
  for (const device of [laptop, phone, tablet]) await device.json('POST', '/login?user=dana');
  const listed = await laptop.json<{ id: string; current: boolean; details: { userAgent: string } }[]>('GET', '/sessions');
  expect(listed.map((row) => row.details.userAgent).sort()).toEqual(['laptop', 'phone', 'tablet']);
  expect(listed.filter((row) => row.current).map((row) => row.details.userAgent)).toEqual(['laptop']);
  expect(JSON.stringify(listed)).not.toMatch(new RegExp((await rowOf('dana')).map((row) => row.key).join('|')));
  // A fourth login: the least recently seen session goes (the cap is 3).
  await phone.json('GET', '/me');
  await tablet.json('GET', '/me');
  await tv.json('POST', '/login?user=dana');
  expect(await rowOf('dana')).toHaveLength(3);
  // Revoke the phone from the laptop, then everything but the tv from the tv.
  const phoneId = (await phone.json<{ id: string; current: boolean }[]>('GET', '/sessions')).find((row) => row.current)!.id;
  expect(await tv.json('POST', `/revoke/${phoneId}`)).toEqual({ revoked: true });
  expect(await phone.json('GET', '/me')).toEqual({ user: null, n: null });
  expect(await tv.json('POST', '/revoke-others')).toEqual({ revoked: 1 });
  expect(await tablet.json('GET', '/me')).toEqual({ user: null, n: null });
  expect(await laptop.json('GET', '/me')).toEqual({ user: null, n: null });
  expect(await tv.json('GET', '/me')).toEqual({ user: 'dana', n: 0 });
  expect(await rowOf('dana')).toHaveLength(1);
  // Another owner's listing id revokes nothing.
  const erin = new Browser(app.url, 'erin');
  await erin.json('POST', '/login?user=erin');
  const tvId = (await tv.json<{ id: string; current: boolean }[]>('GET', '/sessions')).find((row) => row.current)!.id;
  expect(await erin.json('POST', `/revoke/${tvId}`)).toEqual({ revoked: false });
  expect(await tv.json('GET', '/me')).toEqual({ user: 'dana', n: 0 });
});

test('express: the idle timeout (an injected clock) ends a session on the server: row deleted, removal cookie; polling is not activity', async () => {
  let clock = Date.now();
  const app = await start({ key: Key.generate(), now: () => clock, lifecycle: browserSession({ idleTimeoutSeconds: 600, touchIntervalSeconds: 60 }) });
  const browser = new Browser(app.url);
  await browser.json('POST', '/login?user=idle');
  const [row] = await rowOf('idle');
  const created = JSON.parse(row.state).meta.created as number;
  clock += 300_000;
  expect(await browser.json('GET', '/me')).toEqual({ user: 'idle', n: 0 });
  // A read after the touch interval writes the activity time, kept in the row's metadata.
  expect(JSON.parse((await rowOf('idle'))[0].state).meta.active).toBeGreaterThanOrEqual(created + 300);
  clock += 500_000;
  expect(await browser.json('GET', '/poll')).toEqual({ user: 'idle' });
  clock += 200_000;
  // 700 s after the last activity (polling did not count): expired.
  const expired = await browser.request('GET', '/me');
  expect(JSON.parse(expired.body)).toEqual({ user: null, n: null });
  expect(expired.setCookie.some((header) => /^id=;.*Max-Age=0/i.test(header))).toBe(true);
  expect(await rowOf('idle')).toEqual([]);
});

test('express: the absolute timeout ends an active session, through renew()', async () => {
  let clock = Date.now();
  const app = await start({ key: Key.generate(), now: () => clock, lifecycle: browserSession({ absoluteTimeoutSeconds: 3600 }) });
  const browser = new Browser(app.url);
  await browser.json('POST', '/login?user=absolute');
  for (let i = 0; i < 5; i++) {
    clock += 600_000;
    await browser.json('POST', '/inc');
  }
  // Renewed (a new key, the same absolute clock) 50 minutes in; it still ends at 60.
  clock += 1_000;
  await browser.json('POST', '/login?user=absolute');
  expect(await browser.json('GET', '/me')).toEqual({ user: 'absolute', n: 0 });
  clock += 600_000;
  expect(await browser.json('GET', '/me')).toEqual({ user: null, n: null });
  expect(await rowOf('absolute')).toEqual([]);
});
