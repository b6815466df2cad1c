import express from 'express';
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

test('the same middleware on the app and on a router loads once and keeps one session', async () => {
  const store = new CountingStore();
  const session = sessionMiddleware({ store, key: Key.generate() });
  const app = express();
  const router = express.Router();
  app.use(session);
  router.use(session);
  router.post('/visit', (req, res) => {
    req.session.updateOr('n', 1, (n: number) => n + 1);
    res.json({ n: req.session.get('n') });
  });
  app.use(router);
  const server = await listen(app);
  const first = await request(`${server.url}/visit`, { method: 'POST' });
  expect(first.headers.getSetCookie()).toHaveLength(1);
  const cookie = cookiePair(first)!;
  const second = await request(`${server.url}/visit`, { method: 'POST', headers: { cookie } });
  expect(await second.json()).toEqual({ n: 2 });
  expect(store.loads).toBe(1);
});

test('two different middlewares for one cookie name fail the request with a clear error', async () => {
  const app = express();
  app.use(sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate() }));
  app.use(sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate() }));
  app.get('/', (_req, res) => res.send('never'));
  const errors: unknown[] = [];
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    errors.push(error);
    res.status(500).end();
  });
  const server = await listen(app);
  expect((await request(server.url)).status).toBe(500);
  expect(errors).toEqual([expect.objectContaining({ code: 'MISUSE', message: expect.stringContaining('cookie "id"') })]);
});
