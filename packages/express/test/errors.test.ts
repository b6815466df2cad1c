import type { ErrorRequestHandler } from 'express';
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
import { closeAll, cookieNames, cookiePair, EXPRESS_VERSIONS, listen, request, SlowStore } from './helpers.js';

// How store failures and handler errors surface through Express's own error handling.

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

describe.each(EXPRESS_VERSIONS)('$name', ({ express }) => {
  /** An error handler as users write them, recording what it receives. */
  function recordingErrorHandler(seen: unknown[]): ErrorRequestHandler {
    return (error: { status?: number }, _req, res, _next) => {
      seen.push(error);
      res.status(error.status ?? 500).end();
    };
  }

  test('a store failure while loading: the handler does not run, next(err) gets an opaque SessionError', async () => {
    const seen: unknown[] = [];
    let handlerRuns = 0;
    const app = express();
    app.use(sessionMiddleware({ store: new BrokenLoadStore(), key: Key.generate() }));
    app.post('/login', (req, res) => {
      req.session.insert('user', 'ferris');
      res.send('in');
    });
    app.get('/', (_req, res) => {
      handlerRuns += 1;
      res.send('ran');
    });
    app.use(recordingErrorHandler(seen));
    const server = await listen(app);

    // Saving works (no cookie to load yet); loading it back is what fails.
    const cookie = cookiePair(await request(`${server.url}/login`, { method: 'POST' }))!;
    const res = await request(server.url, { headers: { cookie } });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(handlerRuns).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(SessionError);
    expect(seen[0]).toMatchObject({ code: 'STORE_LOAD', status: 500, expose: false });
    expect((seen[0] as Error).message).not.toContain('hunter2');
    expect(((seen[0] as Error).cause as Error).message).toBe(SECRET);
  });

  test('a store failure while committing replaces the response: handler headers dropped, earlier ones kept', async () => {
    const seen: unknown[] = [];
    const app = express();
    app.use((_req, res, next) => {
      res.setHeader('X-Outer', 'set before the session middleware');
      next();
    });
    app.use(sessionMiddleware({ store: new BrokenSaveStore(), key: Key.generate() }));
    app.post('/', (req, res) => {
      req.session.insert('user', 'ferris');
      res.cookie('theme', 'dark');
      res.setHeader('X-Handler', 'yes');
      res.redirect(303, '/welcome');
    });
    app.use(recordingErrorHandler(seen));
    const server = await listen(app);

    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(res.headers.get('x-outer')).toBe('set before the session middleware');
    expect(res.headers.get('x-handler')).toBeNull();
    expect(res.headers.get('location')).toBeNull();
    expect(cookieNames(res)).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ code: 'STORE_SAVE', status: 500, expose: false });
  });

  test('a store failure while committing also drops headers the handler set before it first wrote to the session', async () => {
    const seen: unknown[] = [];
    const app = express();
    app.use(sessionMiddleware({ store: new BrokenSaveStore(), key: Key.generate() }));
    app.post('/', (req, res) => {
      // The response is held only from the first write on; what came before is still the handler's.
      res.cookie('theme', 'dark');
      res.setHeader('X-Handler', 'yes');
      req.session.insert('user', 'ferris');
      res.send('in');
    });
    app.use(recordingErrorHandler(seen));
    const server = await listen(app);

    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    expect(res.headers.get('x-handler')).toBeNull();
    expect(cookieNames(res)).toEqual([]);
    expect(seen).toEqual([expect.objectContaining({ code: 'STORE_SAVE' })]);
  });

  test("Express's default error handler shows nothing of the store", async () => {
    const app = express();
    app.use(sessionMiddleware({ store: new BrokenSaveStore(), key: Key.generate() }));
    app.post('/', (req, res) => {
      req.session.insert('user', 'ferris');
      res.json({ ok: true });
    });
    const server = await listen(app);
    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toContain('hunter2');
    expect(body).not.toContain('"ok"');
    expect(cookieNames(res)).toEqual([]);
  });

  test('a handler that throws: Express answers 500 and nothing is persisted', async () => {
    const store = new SlowStore(1);
    const app = express();
    app.use(sessionMiddleware({ store, key: Key.generate() }));
    app.post('/sync', (req) => {
      req.session.insert('user', 'ferris');
      throw new Error('sync failure');
    });
    app.post('/next', (req, _res, next) => {
      req.session.insert('user', 'ferris');
      next(new Error('passed to next'));
    });
    app.use(((_error, _req, res, _next) => res.status(500).send('handled')) as ErrorRequestHandler);
    const server = await listen(app);

    for (const path of ['/sync', '/next']) {
      const res = await request(`${server.url}${path}`, { method: 'POST' });
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('handled');
      expect(cookieNames(res)).toEqual([]);
    }
    expect(store.writes).toBe(0);
  });

  test('an error handler that answers 4xx: the session is persisted (only 5xx fails)', async () => {
    const store = new SlowStore(1);
    const app = express();
    app.use(sessionMiddleware({ store, key: Key.generate() }));
    app.post('/', (req) => {
      req.session.insert('attempts', 1);
      throw Object.assign(new Error('bad input'), { status: 400 });
    });
    app.use(((error: { status: number; message: string }, _req, res, _next) =>
      res.status(error.status).json({ error: error.message })) as ErrorRequestHandler);
    const server = await listen(app);

    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad input' });
    expect(cookiePair(res)).toBeDefined();
    expect(store.writes).toBe(1);
  });

  test('bad configuration throws at startup, not per request', () => {
    expect(() => sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate(), cookie: { name: 'bad name' } })).toThrow(
      SessionConfigError,
    );
  });
});
