import type { ErrorRequestHandler } from 'express';
import { isStoreFailure, Key, LoadError, MemorySessionStore, sessionMiddleware, type SessionKey, type SessionState } from '../src/index.js';
import { closeAll, cookiePair, EXPRESS_VERSIONS, listen, request } from './helpers.js';

// The README's error handler, over real HTTP: store failures become an opaque, logged 500;
// usage errors (a value that fails its schema, a bigint inserted) go on to the next handler as
// the bugs they are. And the documented way out of a stored value that fails its schema.

/** A Standard Schema accepting strings only, written out so the test needs no validator library. */
const userName = {
  '~standard': {
    version: 1 as const,
    vendor: 'test',
    validate: (value: unknown) => (typeof value === 'string' ? { value } : { issues: [{ message: 'expected a string' }] }),
  },
};

class FailingLoadStore extends MemorySessionStore {
  failing = false;
  override async load(key: SessionKey): Promise<SessionState | null> {
    if (this.failing) throw new LoadError('other', 'redis unreachable');
    return super.load(key);
  }
}

afterEach(closeAll);

describe.each(EXPRESS_VERSIONS)('$name', ({ express }) => {
  async function start(store: MemorySessionStore, logged: string[]) {
    const app = express();
    app.use(sessionMiddleware({ store, key: Key.generate(), cookie: { secure: false } }));
    // An older release stored the user as a number.
    app.post('/old-login', (req, res) => {
      req.session.insert('user', 42);
      res.send('in');
    });
    app.get('/strict', (req, res) => {
      res.send(req.session.get('user', userName) ?? 'nobody');
    });
    app.get('/lenient', (req, res) => {
      res.send(req.session.get('user', userName, { onMismatch: 'remove' }) ?? 'nobody');
    });
    app.post('/bigint', (req, res) => {
      req.session.insert('n', BigInt(1) as never);
      res.send('never');
    });
    // The README's handler.
    const storeFailures: ErrorRequestHandler = (err, _req, res, next) => {
      if (!isStoreFailure(err)) return next(err); // a usage error: a bug in the app
      logged.push(`session store failed: ${String((err.cause as Error).message)}`);
      res.status(500).end();
    };
    const bugs: ErrorRequestHandler = (err: Error, _req, res, _next) => {
      logged.push(`bug: ${err.name}`);
      res.status(500).send('bug');
    };
    app.use(storeFailures, bugs);
    return listen(app);
  }

  test('isStoreFailure sends store failures to the log as an empty 500 and usage errors on', async () => {
    const store = new FailingLoadStore();
    const logged: string[] = [];
    const server = await start(store, logged);
    const cookie = cookiePair(await request(`${server.url}/old-login`, { method: 'POST' }))!;
    const strict = await request(`${server.url}/strict`, { headers: { cookie } });
    expect([strict.status, await strict.text()]).toEqual([500, 'bug']);
    const bigint = await request(`${server.url}/bigint`, { method: 'POST' });
    expect([bigint.status, await bigint.text()]).toEqual([500, 'bug']);
    store.failing = true;
    const down = await request(`${server.url}/strict`, { headers: { cookie } });
    expect([down.status, await down.text()]).toEqual([500, '']);
    expect(logged).toEqual(['bug: SessionGetError', 'bug: SessionInsertError', 'session store failed: redis unreachable']);
  });

  test('a stored value that fails its schema: every request fails, until read with onMismatch: remove', async () => {
    const server = await start(new MemorySessionStore(), []);
    const cookie = cookiePair(await request(`${server.url}/old-login`, { method: 'POST' }))!;
    // A 500 persists nothing, so the strict read fails on every request of this session.
    for (let i = 0; i < 2; i++) expect((await request(`${server.url}/strict`, { headers: { cookie } })).status).toBe(500);
    const lenient = await request(`${server.url}/lenient`, { headers: { cookie } });
    expect([lenient.status, await lenient.text()]).toEqual([200, 'nobody']);
    // The value was removed and that change persisted: the strict route works again.
    const after = await request(`${server.url}/strict`, { headers: { cookie: cookiePair(lenient) ?? cookie } });
    expect([after.status, await after.text()]).toEqual([200, 'nobody']);
  });
});
