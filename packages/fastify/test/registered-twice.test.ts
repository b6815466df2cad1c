import Fastify from 'fastify';
import { Key, MemorySessionStore, SessionError, sessionPlugin } from '../src/index.js';
import { closeAll, cookiePair, listen, request } from './helpers.js';

// Issue 20 §8: a session plugin registered twice must not load (and commit) twice. Fastify runs
// a context's hooks for its own routes and its children's, so two registrations on one route's
// path are a parent and a child, or one instance twice: both refused at registration.

class CountingStore extends MemorySessionStore {
  loads = 0;
  override loadSync(key: string) {
    this.loads += 1;
    return super.loadSync(key);
  }
}

afterEach(closeAll);

test('registered twice on one instance: the registration fails with a clear error', async () => {
  const app = Fastify();
  await app.register(sessionPlugin, { store: new MemorySessionStore(), key: Key.generate() });
  const second = app.register(sessionPlugin, { store: new MemorySessionStore(), key: Key.generate() });
  await expect(second).rejects.toThrow(SessionError);
  await expect(second).rejects.toMatchObject({ code: 'MISUSE', message: expect.stringContaining('already registered') });
});

test('registered again in a child context: the registration fails with a clear error', async () => {
  const app = Fastify();
  await app.register(sessionPlugin, { store: new MemorySessionStore(), key: Key.generate() });
  app.register(async (child) => {
    await child.register(sessionPlugin, { store: new MemorySessionStore(), key: Key.generate() });
  });
  await expect(app.ready()).rejects.toMatchObject({ code: 'MISUSE' });
});

test('sibling contexts may each have their own: one load per request, each with its own sessions', async () => {
  const stores = [new CountingStore(), new CountingStore()];
  const app = Fastify();
  for (const [i, store] of stores.entries()) {
    await app.register(
      async (child) => {
        await child.register(sessionPlugin, { store, key: Key.generate() });
        child.post('/visit', async (req) => {
          req.session.updateOr('n', 1, (n: number) => n + 1);
          return { n: req.session.get('n') };
        });
      },
      { prefix: `/${i}` },
    );
  }
  const url = await listen(app);
  const first = await request(`${url}/0/visit`, { method: 'POST' });
  expect(first.headers.getSetCookie()).toHaveLength(1);
  const cookie = cookiePair(first)!;
  const second = await request(`${url}/0/visit`, { method: 'POST', headers: { cookie } });
  expect(await second.json()).toEqual({ n: 2 });
  // The other context has another key: the cookie opens nothing there.
  const other = await request(`${url}/1/visit`, { method: 'POST', headers: { cookie } });
  expect(await other.json()).toEqual({ n: 1 });
  expect(stores.map((store) => store.loads)).toEqual([1, 0]);
});
