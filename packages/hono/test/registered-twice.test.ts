import { Hono } from 'hono';
import { Key, MemorySessionStore, sessionMiddleware, type SessionVariables } from '../src/index.js';
import { closeAll, cookiePair, request, serve } from './helpers.js';

// Issue 20 §8: registering the session middleware twice must not load (and commit) twice.

class CountingStore extends MemorySessionStore {
  loads = 0;
  override loadSync(key: string) {
    this.loads += 1;
    return super.loadSync(key);
  }
}

afterEach(closeAll);

test('the same middleware on the app and on a route loads once and keeps one session', async () => {
  const store = new CountingStore();
  const session = sessionMiddleware({ store, key: Key.generate() });
  const app = new Hono<{ Variables: SessionVariables }>();
  app.use(session);
  app.get('/', session, (c) => {
    c.get('session').updateOr('n', 1, (n: number) => n + 1);
    return c.json({ n: c.get('session').get('n') });
  });
  const server = await serve(app);
  const first = await request(server.url);
  expect(first.headers.getSetCookie()).toHaveLength(1);
  const second = await request(server.url, { headers: { cookie: cookiePair(first)! } });
  expect(await second.json()).toEqual({ n: 2 });
  expect(store.loads).toBe(1);
});

test('two different middlewares for one cookie name fail the request with a clear error', async () => {
  const app = new Hono<{ Variables: SessionVariables }>();
  const errors: unknown[] = [];
  app.onError((error, c) => (errors.push(error), c.body(null, 500)));
  app.use(sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate() }));
  app.use(sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate() }));
  app.get('/', (c) => c.text('never'));
  const server = await serve(app);
  expect((await request(server.url)).status).toBe(500);
  expect(errors).toEqual([expect.objectContaining({ code: 'MISUSE', message: expect.stringContaining('cookie "id"') })]);
});
