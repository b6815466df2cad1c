import { Readable } from 'node:stream';
import Koa from 'koa';
import {
  Key,
  LoadError,
  MemorySessionStore,
  SaveError,
  SessionConfigError,
  SessionError,
  sessionMiddleware,
  type SessionKey,
  type SessionState,
} from '../src/index.js';
import { closeAll, cookieNames, cookiePair, listen, request } from './helpers.js';

const SECRET = 'redis://admin:hunter2@10.0.0.7 refused the connection';

class CountingStore extends MemorySessionStore {
  writes = 0;
  override async save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    this.writes += 1;
    return super.save(state, ttlSeconds);
  }
}

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

/** A Koa app with the session middleware, recording the app 'error' events. */
function app(store = new MemorySessionStore()): { app: Koa; errors: unknown[] } {
  const koa = new Koa();
  const errors: unknown[] = [];
  koa.on('error', (error: unknown) => errors.push(error));
  koa.use(sessionMiddleware({ store, key: Key.generate() }));
  return { app: koa, errors };
}

afterEach(closeAll);

describe('responses', () => {
  test('a streamed body, a redirect, HEAD and 204 all carry the session cookie', async () => {
    const { app: koa } = app();
    koa.use((ctx) => {
      ctx.session.insert('seen', ctx.path);
      if (ctx.path === '/stream') ctx.body = Readable.from(['a', 'b', 'c']);
      else if (ctx.path === '/redirect') ctx.redirect('/next');
      else ctx.status = 204;
    });
    const server = await listen(koa.callback());

    const stream = await request(`${server.url}/stream`);
    expect(await stream.text()).toBe('abc');
    expect(cookiePair(stream)).toBeDefined();

    for (const method of ['GET', 'HEAD']) {
      const redirect = await request(`${server.url}/redirect`, { method });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('location')).toBe('/next');
      expect(cookiePair(redirect)).toBeDefined();
    }

    const empty = await request(`${server.url}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(cookiePair(empty)).toBeDefined();
  });

  test('Set-Cookie headers from ctx.cookies and ctx.append are kept', async () => {
    const { app: koa } = app();
    koa.use((ctx) => {
      ctx.session.insert('seen', true);
      ctx.cookies.set('theme', 'dark');
      ctx.append('Set-Cookie', 'lang=en; Path=/');
      ctx.body = 'ok';
    });
    const server = await listen(koa.callback());
    const res = await request(server.url);
    expect(cookieNames(res).sort()).toEqual(['id', 'lang', 'theme']);
  });
});

describe('errors', () => {
  test('a store failure while loading: the handler does not run; Koa answers a bare 500 and emits error', async () => {
    let handlerRuns = 0;
    const { app: koa, errors } = app(new BrokenLoadStore());
    koa.use((ctx) => {
      if (ctx.method === 'POST') ctx.session.insert('user', 'ferris');
      else handlerRuns += 1;
      ctx.body = 'ok';
    });
    const server = await listen(koa.callback());

    const cookie = cookiePair(await request(server.url, { method: 'POST' }))!;
    const res = await request(server.url, { headers: { cookie } });
    expect(res.status).toBe(500);
    // Koa's ctx.onerror: expose is false, so the status text, never the message.
    expect(await res.text()).toBe('Internal Server Error');
    expect(handlerRuns).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SessionError);
    expect(errors[0]).toMatchObject({ code: 'STORE_LOAD', status: 500, expose: false });
    expect(((errors[0] as Error).cause as Error).message).toBe(SECRET);
  });

  test('an error-handling middleware above the session one catches store failures', async () => {
    const koa = new Koa();
    const caught: unknown[] = [];
    koa.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        caught.push(error);
        ctx.status = 503;
        ctx.body = { error: 'try again later' };
      }
    });
    koa.use(sessionMiddleware({ store: new BrokenSaveStore(), key: Key.generate() }));
    koa.use((ctx) => {
      ctx.session.insert('user', 'ferris');
      ctx.body = 'ok';
    });
    const server = await listen(koa.callback());
    const res = await request(server.url);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'try again later' });
    expect(caught[0]).toMatchObject({ code: 'STORE_SAVE', status: 500, expose: false });
  });

  test("a store failure while committing replaces the handler's response, its headers included", async () => {
    const { app: koa, errors } = app(new BrokenSaveStore());
    koa.use((ctx) => {
      ctx.session.insert('user', 'ferris');
      ctx.cookies.set('theme', 'dark');
      ctx.set('X-Handler', 'yes');
      ctx.status = 201;
      ctx.body = { created: true };
    });
    const server = await listen(koa.callback());
    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('Internal Server Error');
    expect(res.headers.get('x-handler')).toBeNull();
    expect(cookieNames(res)).toEqual([]);
    expect(errors[0]).toMatchObject({ code: 'STORE_SAVE', status: 500, expose: false });
  });

  test('a handler that throws: 500 and nothing persisted', async () => {
    const store = new CountingStore();
    const { app: koa, errors } = app(store);
    koa.use((ctx) => {
      ctx.session.insert('user', 'ferris');
      throw new Error('the handler failed');
    });
    const server = await listen(koa.callback());
    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(cookieNames(res)).toEqual([]);
    expect(store.writes).toBe(0);
    expect((errors[0] as Error).message).toBe('the handler failed');
  });

  test('ctx.throw(4xx): the session is persisted and its cookie survives Koa clearing the headers', async () => {
    const store = new CountingStore();
    const { app: koa } = app(store);
    koa.use((ctx) => {
      if (ctx.method === 'GET') {
        ctx.body = { attempts: ctx.session.get('attempts') ?? 0 };
        return;
      }
      ctx.session.insert('attempts', 1);
      ctx.throw(401, 'who are you?', { headers: { 'WWW-Authenticate': 'Basic' } });
    });
    const server = await listen(koa.callback());

    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('who are you?');
    expect(res.headers.get('www-authenticate')).toBe('Basic');
    const cookie = cookiePair(res);
    expect(cookie).toBeDefined();
    expect(store.writes).toBe(1);
    expect(await (await request(server.url, { headers: { cookie: cookie! } })).json()).toEqual({ attempts: 1 });
  });

  test('ctx.throw(4xx) caught by an error-handling middleware above: the cookie is on its response', async () => {
    const koa = new Koa();
    koa.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = (error as { status: number }).status;
        ctx.body = 'handled';
      }
    });
    koa.use(sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate() }));
    koa.use((ctx) => {
      ctx.session.insert('attempts', 1);
      ctx.throw(422);
    });
    const server = await listen(koa.callback());
    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(422);
    expect(cookieNames(res)).toEqual(['id']);
  });

  test('bad configuration throws at startup, not per request', () => {
    expect(() => sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate(), cookie: { path: 'no-slash' } })).toThrow(
      SessionConfigError,
    );
  });
});
