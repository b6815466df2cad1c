import Koa from 'koa';
import { Key, MemorySessionStore, sessionMiddleware } from '../src/index.js';
import { closeAll, cookiePair, listen, request } from './helpers.js';

// Issue 20 §8: registering the session middleware twice must not load (and commit) twice.

class CountingStore extends MemorySessionStore {
  loads = 0;
  override loadSync(key: string) {
    this.loads += 1;
    return super.loadSync(key);
  }
}

afterEach(closeAll);

test('the same middleware used twice loads once and keeps one session', async () => {
  const store = new CountingStore();
  const session = sessionMiddleware({ store, key: Key.generate() });
  const app = new Koa();
  app.use(session);
  app.use(session);
  app.use((ctx) => {
    ctx.session.updateOr('n', 1, (n: number) => n + 1);
    ctx.body = { n: ctx.session.get('n') };
  });
  const server = await listen(app.callback());
  const first = await request(server.url);
  expect(first.headers.getSetCookie()).toHaveLength(1);
  const second = await request(server.url, { headers: { cookie: cookiePair(first)! } });
  expect(await second.json()).toEqual({ n: 2 });
  expect(store.loads).toBe(1);
});

test('two different middlewares for one cookie name fail the request with a clear error', async () => {
  const app = new Koa();
  const errors: unknown[] = [];
  app.on('error', (error) => errors.push(error));
  app.use(sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate() }));
  app.use(sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate() }));
  app.use((ctx) => (ctx.body = 'never'));
  const server = await listen(app.callback());
  expect((await request(server.url)).status).toBe(500);
  expect(errors).toEqual([expect.objectContaining({ code: 'MISUSE', message: expect.stringContaining('cookie "id"') })]);
});
