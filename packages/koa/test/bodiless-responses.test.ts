import Koa, { type Context } from 'koa';
import { Key, MemorySessionStore, sessionMiddleware } from '../src/index.js';
import { closeAll, cookiePair, listen, request } from './helpers.js';

// Responses without a body (HEAD, 204, 304) still end the request: a session the handler wrote
// must be persisted and its cookie must go out with them, as for any other response.

afterEach(closeAll);

/**
 * A Koa app with the session middleware, `route` for every path but `GET /visits`, which reads
 * the session without writing to it: what the store holds for a cookie.
 */
async function serve(route: (ctx: Context) => void): Promise<{ url: string; visits(cookie: string): Promise<unknown> }> {
  const app = new Koa();
  app.use(sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate() }));
  app.use((ctx) => {
    if (ctx.path === '/visits') ctx.body = { visits: ctx.session.get('visits') ?? null };
    else route(ctx);
  });
  const server = await listen(app.callback());
  return {
    url: server.url,
    visits: async (cookie) => (await (await request(`${server.url}/visits`, { headers: { cookie } })).json()) as unknown,
  };
}

function countVisit(ctx: Context): void {
  ctx.session.updateOr('visits', 1, (n: number) => n + 1);
}

test('HEAD of a route that writes: no body, the cookie goes out and the write is persisted', async () => {
  const server = await serve((ctx) => {
    countVisit(ctx);
    ctx.body = 'the page';
  });
  const head = await request(`${server.url}/page`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
  const cookie = cookiePair(head);
  expect(cookie).toBeDefined();
  expect(await server.visits(cookie!)).toEqual({ visits: 1 });
});

test('204 No Content: the cookie goes out and the write is persisted', async () => {
  const server = await serve((ctx) => {
    countVisit(ctx);
    ctx.status = 204;
  });
  const first = await request(`${server.url}/ping`, { method: 'POST' });
  expect(first.status).toBe(204);
  const second = await request(`${server.url}/ping`, { method: 'POST', headers: { cookie: cookiePair(first)! } });
  expect(second.status).toBe(204);
  expect(await second.text()).toBe('');
  expect(cookiePair(second)).toBeDefined();
  expect(await server.visits(cookiePair(second)!)).toEqual({ visits: 2 });
});

test('304 Not Modified through ctx.fresh, for GET and HEAD: the cookie goes out and the writes are persisted', async () => {
  // Koa's documented revalidation: set the body and its ETag, then answer 304 when ctx.fresh.
  const server = await serve((ctx) => {
    countVisit(ctx);
    ctx.body = 'the document';
    ctx.etag = '"v1"';
    if (ctx.fresh) ctx.status = 304;
  });
  const first = await request(`${server.url}/doc`);
  expect(await first.text()).toBe('the document');
  let cookie = cookiePair(first)!;
  for (const method of ['GET', 'HEAD']) {
    // fetch adds `Cache-Control: no-cache` to conditional requests unless one is given, and
    // `fresh` honours it; a browser revalidating on reload sends max-age=0.
    const headers = { cookie, 'if-none-match': '"v1"', 'cache-control': 'max-age=0' };
    const revalidated = await request(`${server.url}/doc`, { method, headers });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    expect(cookiePair(revalidated)).toBeDefined();
    cookie = cookiePair(revalidated)!;
  }
  expect(await server.visits(cookie)).toEqual({ visits: 3 });
});
