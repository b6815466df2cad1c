import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyError } from 'fastify';
import {
  Key,
  LoadError,
  MemorySessionStore,
  SaveError,
  SessionConfigError,
  SessionError,
  sessionPlugin,
  type SessionKey,
  type SessionState,
} from '../src/index.js';
import { closeAll, cookieNames, cookiePair, listen, request, SlowStore } from './helpers.js';

// How store failures and route errors surface through Fastify's own error handling.

const SECRET = 'redis://admin:hunter2@10.0.0.7 refused the connection';

class BrokenLoadStore extends MemorySessionStore {
  override async load(_key: SessionKey): Promise<SessionState | null> {
    throw new LoadError('other', SECRET);
  }
}

class BrokenSaveStore extends MemorySessionStore {
  override async save(_state: SessionState, _ttlSeconds: number): Promise<SessionKey> {
    throw new SaveError('other', SECRET);
  }
}

afterEach(closeAll);

test('a store failure while loading: the route does not run, the error handler gets an opaque SessionError', async () => {
  const seen: unknown[] = [];
  let routeRuns = 0;
  const app = Fastify();
  await app.register(sessionPlugin, { store: new BrokenLoadStore(), key: Key.generate() });
  app.setErrorHandler((error, _req, reply) => {
    seen.push(error);
    return reply.code(500).send();
  });
  app.post('/login', async (req) => {
    req.session.insert('user', 'ferris');
    return 'in';
  });
  app.get('/', async () => {
    routeRuns += 1;
    return 'ran';
  });
  const url = await listen(app);

  // Saving works (no cookie to load yet); loading it back is what fails.
  const cookie = cookiePair(await request(`${url}/login`, { method: 'POST' }))!;
  const res = await request(url, { headers: { cookie } });
  expect(res.status).toBe(500);
  expect(await res.text()).toBe('');
  expect(routeRuns).toBe(0);
  expect(seen).toHaveLength(1);
  expect(seen[0]).toBeInstanceOf(SessionError);
  expect(seen[0]).toMatchObject({ code: 'STORE_LOAD', statusCode: 500, expose: false });
  expect((seen[0] as Error).message).not.toContain('hunter2');
  expect(((seen[0] as Error).cause as Error).message).toBe(SECRET);
});

test("Fastify's default error handler shows nothing of the store, for a failed load and a failed commit", async () => {
  const app = Fastify();
  await app.register(sessionPlugin, { store: new BrokenLoadStore(), key: Key.generate() });
  app.post('/', async (req) => {
    req.session.insert('user', 'ferris');
    return { ok: true };
  });
  const url = await listen(app);
  const cookie = cookiePair(await request(url, { method: 'POST' }))!;
  const res = await request(url, { method: 'POST', headers: { cookie } });
  expect(res.status).toBe(500);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ statusCode: 500, code: 'STORE_LOAD', error: 'Internal Server Error' });
  expect(JSON.stringify(body)).not.toContain('hunter2');

  const failing = Fastify();
  await failing.register(sessionPlugin, { store: new BrokenSaveStore(), key: Key.generate() });
  failing.post('/', async (req) => {
    req.session.insert('user', 'ferris');
    return { ok: true };
  });
  const commitRes = await request(await listen(failing), { method: 'POST' });
  expect(commitRes.status).toBe(500);
  const text = await commitRes.text();
  expect(text).toContain('STORE_SAVE');
  expect(text).not.toContain('hunter2');
  expect(text).not.toContain('"ok"');
  expect(cookieNames(commitRes)).toEqual([]);
});

test("a store failure while committing replaces the reply: the route's status, headers and cookies are dropped", async () => {
  const seen: unknown[] = [];
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(sessionPlugin, { store: new BrokenSaveStore(), key: Key.generate() });
  app.setErrorHandler((error, _req, reply) => {
    seen.push(error);
    return reply.code(500).send();
  });
  app.post('/', (req, reply) => {
    req.session.insert('user', 'ferris');
    reply.setCookie('theme', 'dark');
    reply.header('set-cookie', 'lang=en');
    reply.header('x-handler', 'yes');
    return reply.redirect('/welcome', 303);
  });
  const url = await listen(app);

  const res = await request(url, { method: 'POST' });
  expect(res.status).toBe(500);
  expect(await res.text()).toBe('');
  expect(res.headers.get('x-handler')).toBeNull();
  expect(res.headers.get('location')).toBeNull();
  expect(cookieNames(res)).toEqual([]);
  expect(seen).toEqual([expect.objectContaining({ code: 'STORE_SAVE', statusCode: 500 })]);
});

test('an error handler that tells store failures from other errors can answer 503 for them', async () => {
  const app = Fastify();
  await app.register(sessionPlugin, { store: new BrokenSaveStore(), key: Key.generate() });
  app.setErrorHandler((error: FastifyError, _req, reply) => {
    if (error instanceof SessionError && error.code.startsWith('STORE_')) return reply.code(503).send({ error: 'try again later' });
    return reply.code(error.statusCode ?? 500).send({ error: error.message });
  });
  app.post('/', async (req) => {
    req.session.insert('user', 'ferris');
    return 'ok';
  });
  const res = await request(await listen(app), { method: 'POST' });
  expect(res.status).toBe(503);
  expect(await res.json()).toEqual({ error: 'try again later' });
  expect(cookieNames(res)).toEqual([]);
});

test('a route that throws: Fastify answers 500 and nothing is persisted', async () => {
  const store = new SlowStore(1);
  const app = Fastify();
  await app.register(sessionPlugin, { store, key: Key.generate() });
  app.post('/async', async (req) => {
    req.session.insert('user', 'ferris');
    throw new Error('async failure');
  });
  app.post('/sync', (req) => {
    req.session.insert('user', 'ferris');
    throw new Error('sync failure');
  });
  const url = await listen(app);
  for (const path of ['/async', '/sync']) {
    const res = await request(`${url}${path}`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(cookieNames(res)).toEqual([]);
  }
  expect(store.writes).toBe(0);
});

test('a 4xx error thrown by the route: the session is persisted, only 5xx fails', async () => {
  const store = new SlowStore(1);
  const app = Fastify();
  await app.register(sessionPlugin, { store, key: Key.generate() });
  app.post('/', async (req) => {
    req.session.insert('attempts', 1);
    throw Object.assign(new Error('bad input'), { statusCode: 400 });
  });
  app.get('/', async (req) => ({ attempts: req.session.get('attempts') ?? 0 }));
  const url = await listen(app);

  const res = await request(url, { method: 'POST' });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ message: 'bad input' });
  const cookie = cookiePair(res);
  expect(cookie).toBeDefined();
  expect(store.writes).toBe(1);
  expect(await (await request(url, { headers: { cookie: cookie! } })).json()).toEqual({ attempts: 1 });
});

test('bad configuration rejects the registration, not a request', async () => {
  const app = Fastify();
  await expect(app.register(sessionPlugin, { store: new MemorySessionStore(), key: Key.generate(), cookie: { name: 'bad name' } })).rejects.toThrow(
    SessionConfigError,
  );
  const missing = Fastify();
  // Options a JavaScript caller may get wrong: no store at all.
  await expect(missing.register(sessionPlugin, {} as never).ready()).rejects.toThrow(SessionConfigError);
});
