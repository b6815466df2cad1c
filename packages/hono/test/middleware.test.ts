import { Hono, type Context, type ErrorHandler } from 'hono';
import { setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { streamText } from 'hono/streaming';
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
  type SessionVariables,
  UpdateError,
} from '../src/index.js';
import { closeAll, cookieNames, cookiePair, request, serve, serveNode } from './helpers.js';

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

/** Works until `broken` is set; then every write (`save`, `update`) fails. */
class FlakyStore extends MemorySessionStore {
  broken = false;
  override async save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    if (this.broken) throw new SaveError('other', SECRET);
    return super.save(state, ttlSeconds);
  }
  override async update(key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    if (this.broken) throw new UpdateError('other', SECRET);
    return super.update(key, state, ttlSeconds);
  }
}

type Env = { Variables: SessionVariables };

function app(store = new MemorySessionStore()): Hono<Env> {
  return new Hono<Env>().use(sessionMiddleware({ store, key: Key.generate() }));
}

afterEach(closeAll);

describe('responses', () => {
  test('runs on the Fetch API alone: app.request, no server', async () => {
    const hono = app().post('/', (c) => {
      c.get('session').updateOr('visits', 1, (n: number) => n + 1);
      return c.json({ visits: c.get('session').get('visits') });
    });
    const first = await hono.request('/', { method: 'POST' });
    expect(await first.json()).toEqual({ visits: 1 });
    const second = await hono.request('/', { method: 'POST', headers: { cookie: cookiePair(first)! } });
    expect(await second.json()).toEqual({ visits: 2 });
  });

  test('a streamed body, a redirect and HEAD carry the session cookie', async () => {
    const hono = app()
      .get('/stream', (c) => {
        c.get('session').insert('seen', 'stream');
        return streamText(c, async (stream) => {
          await stream.write('a');
          await stream.write('b');
        });
      })
      .get('/redirect', (c) => {
        c.get('session').insert('seen', 'redirect');
        return c.redirect('/next', 303);
      });
    const server = await serve(hono);

    const stream = await request(`${server.url}/stream`);
    expect(await stream.text()).toBe('ab');
    expect(cookiePair(stream)).toBeDefined();

    for (const method of ['GET', 'HEAD']) {
      const redirect = await request(`${server.url}/redirect`, { method });
      expect(redirect.status).toBe(303);
      expect(redirect.headers.get('location')).toBe('/next');
      expect(cookiePair(redirect)).toBeDefined();
    }
  });

  test('Set-Cookie headers from setCookie() and c.header(…, { append: true }) are kept', async () => {
    const hono = app().get('/', (c) => {
      c.get('session').insert('seen', true);
      setCookie(c, 'theme', 'dark');
      c.header('Set-Cookie', 'lang=en; Path=/', { append: true });
      return c.text('ok');
    });
    const server = await serve(hono);
    const res = await request(server.url);
    expect(cookieNames(res).sort()).toEqual(['id', 'lang', 'theme']);
  });

  test('a Response with immutable headers (Response.redirect, a proxied fetch) is copied, then appended to', async () => {
    const upstream = await serveNode((_req, res) => {
      res.setHeader('Set-Cookie', 'upstream=1; Path=/');
      res.end('from upstream');
    });
    const hono = app()
      .get('/redirect', (c) => {
        c.get('session').insert('seen', true);
        return Response.redirect('http://example.com/next', 307);
      })
      .get('/proxy', async (c) => {
        c.get('session').insert('seen', true);
        return fetch(upstream.url);
      });
    const server = await serve(hono);

    const redirect = await request(`${server.url}/redirect`);
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get('location')).toBe('http://example.com/next');
    expect(cookieNames(redirect)).toEqual(['id']);

    const proxied = await request(`${server.url}/proxy`);
    expect(await proxied.text()).toBe('from upstream');
    expect(cookieNames(proxied).sort()).toEqual(['id', 'upstream']);
  });
});

describe('errors', () => {
  test('a store failure while loading: the handler does not run; the default onError answers an empty 500', async () => {
    let handlerRuns = 0;
    const hono = app(new BrokenLoadStore())
      .post('/', (c) => {
        c.get('session').insert('user', 'ferris');
        return c.text('in');
      })
      .get('/', (c) => {
        handlerRuns += 1;
        return c.text('ran');
      });
    const server = await serve(hono);
    const cookie = cookiePair(await request(server.url, { method: 'POST' }))!;
    const res = await request(server.url, { headers: { cookie } });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(handlerRuns).toBe(0);
  });

  test('app.onError receives an HTTPException(500) whose cause is the opaque SessionError', async () => {
    const seen: unknown[] = [];
    const hono = app(new BrokenLoadStore())
      .post('/', (c) => {
        c.get('session').insert('user', 'ferris');
        return c.text('in');
      })
      .get('/', (c) => c.text('ran'))
      .onError((error, c) => {
        seen.push(error);
        return error instanceof HTTPException ? error.getResponse() : c.text('unexpected', 500);
      });
    const server = await serve(hono);
    const cookie = cookiePair(await request(server.url, { method: 'POST' }))!;
    const res = await request(server.url, { headers: { cookie } });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(HTTPException);
    expect(seen[0]).toMatchObject({ status: 500 });
    const cause = (seen[0] as HTTPException).cause;
    expect(cause).toBeInstanceOf(SessionError);
    expect(cause).toMatchObject({ code: 'STORE_LOAD', status: 500, expose: false });
    expect(((cause as Error).cause as Error).message).toBe(SECRET);
    expect((seen[0] as Error).message).not.toContain('hunter2');
  });

  test("a store failure while committing replaces the handler's response with an empty 500", async () => {
    const hono = app(new BrokenSaveStore()).post('/', (c) => {
      c.get('session').insert('user', 'ferris');
      return c.json({ created: true }, 201, { 'X-Handler': 'yes' });
    });
    const server = await serve(hono);
    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(res.headers.get('x-handler')).toBeNull();
    expect(res.headers.get('content-type')).toBeNull();
    expect(cookieNames(res)).toEqual([]);
  });

  // Hono's error handlers build their response from the context, which still holds what the
  // handler set with c.header()/setCookie() and c.status(): none of it may reach the 500.
  const onErrors = {
    "Hono's default error handler": undefined,
    'app.onError returning err.getResponse()': (error: Error, c: Context<Env>) =>
      error instanceof HTTPException ? error.getResponse() : c.text('unexpected', 500),
    'app.onError answering with c.body(null)': (_error: Error, c: Context<Env>) => c.body(null),
  } satisfies Record<string, ErrorHandler<Env> | undefined>;

  test.each(Object.entries(onErrors))(
    "a store failure while committing (save, then update) drops the handler's cookies, headers and status: %s",
    async (_name, onError) => {
      const store = new FlakyStore();
      const hono = app(store)
        .get('/login', (c) => {
          c.get('session').insert('user', 'ferris');
          return c.text('in');
        })
        .post('/', (c) => {
          c.get('session').insert('visited', true);
          setCookie(c, 'logged_in', '1');
          c.header('X-Handler', 'yes');
          return c.json({ created: true }, 201);
        });
      if (onError) hono.onError(onError);
      const server = await serve(hono);
      const cookie = cookiePair(await request(`${server.url}/login`))!;
      store.broken = true;

      // No cookie: the commit saves a new session. With one: it updates the existing one.
      for (const headers of [{}, { cookie }] as Record<string, string>[]) {
        const res = await request(server.url, { method: 'POST', headers });
        expect(res.status).toBe(500);
        expect(await res.text()).toBe('');
        expect(cookieNames(res)).toEqual([]);
        expect(res.headers.get('x-handler')).toBeNull();
        expect(res.headers.get('content-type')).toBeNull();
      }
    },
  );

  test('middleware registered before the session one still adds its headers to that 500 after next()', async () => {
    const hono = new Hono<Env>()
      .use(secureHeaders())
      .use(sessionMiddleware({ store: new BrokenSaveStore(), key: Key.generate() }))
      .post('/', (c) => {
        c.get('session').insert('user', 'ferris');
        c.header('X-Handler', 'yes');
        return c.text('created', 201);
      });
    const server = await serve(hono);
    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(res.headers.get('x-handler')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test("a handler that throws: Hono's 500, nothing persisted", async () => {
    const store = new CountingStore();
    const hono = app(store).post('/', (c) => {
      c.get('session').insert('user', 'ferris');
      throw new Error('the handler failed');
    });
    const server = await serve(hono);
    // Hono's default onError logs errors that are not HTTPExceptions; this one is on purpose.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => {});
    const res = await request(server.url, { method: 'POST' }).finally(() => quiet.mockRestore());
    expect(res.status).toBe(500);
    expect(cookieNames(res)).toEqual([]);
    expect(store.writes).toBe(0);
  });

  test('a handler that throws HTTPException(4xx): the session is persisted and its cookie sent', async () => {
    const store = new CountingStore();
    const hono = app(store).post('/', (c) => {
      c.get('session').insert('attempts', 1);
      throw new HTTPException(401, { message: 'who are you?' });
    });
    const server = await serve(hono);
    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('who are you?');
    expect(cookieNames(res)).toEqual(['id']);
    expect(store.writes).toBe(1);
  });

  test('bad configuration throws at startup, not per request', () => {
    expect(() =>
      sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate(), cookie: { sameSite: 'none', secure: false } }),
    ).toThrow(SessionConfigError);
  });
});
