import { Hono, type Context } from 'hono';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';
import { Key, MemorySessionStore, sessionMiddleware, type SessionVariables } from '../src/index.js';
import { closeAll, cookiePair, request, serve } from './helpers.js';

// Responses without a body (HEAD, 204, 304) still end the request: a session the handler wrote
// must be persisted and its cookie must go out with them, as for any other response.

type Env = { Variables: SessionVariables };

afterEach(closeAll);

/** Counts a visit in the session: every request below writes to it. */
function countVisit(c: Context<Env>): void {
  c.get('session').updateOr('visits', 1, (n: number) => n + 1);
}

/**
 * `hono` plus `GET /visits`, which reads the session without writing to it: what the store
 * holds for a cookie.
 */
async function serveWithReader(hono: Hono<Env>): Promise<{ url: string; visits(cookie: string): Promise<unknown> }> {
  hono.get('/visits', (c) => c.json({ visits: c.get('session').get('visits') ?? null }));
  const server = await serve(hono);
  return {
    url: server.url,
    visits: async (cookie) => (await (await request(`${server.url}/visits`, { headers: { cookie } })).json()) as unknown,
  };
}

function withSession(): Hono<Env> {
  return new Hono<Env>().use(sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate() }));
}

test('HEAD of a route that writes: no body, the cookie goes out and the write is persisted', async () => {
  const server = await serveWithReader(
    withSession().get('/page', (c) => {
      countVisit(c);
      return c.text('the page');
    }),
  );
  const head = await request(`${server.url}/page`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
  const cookie = cookiePair(head);
  expect(cookie).toBeDefined();
  expect(await server.visits(cookie!)).toEqual({ visits: 1 });
});

test('204 No Content: the cookie goes out and the write is persisted', async () => {
  const server = await serveWithReader(
    withSession().post('/ping', (c) => {
      countVisit(c);
      return c.body(null, 204);
    }),
  );
  const first = await request(`${server.url}/ping`, { method: 'POST' });
  expect(first.status).toBe(204);
  expect(cookiePair(first)).toBeDefined();
  const second = await request(`${server.url}/ping`, { method: 'POST', headers: { cookie: cookiePair(first)! } });
  expect(second.status).toBe(204);
  expect(await second.text()).toBe('');
  expect(cookiePair(second)).toBeDefined();
  expect(await server.visits(cookiePair(second)!)).toEqual({ visits: 2 });
});

test('304 Not Modified answered by the handler, for GET and HEAD: the cookie goes out and the writes are persisted', async () => {
  const server = await serveWithReader(
    withSession().get('/doc', (c) => {
      countVisit(c);
      c.header('ETag', '"v1"');
      return c.req.header('If-None-Match') === '"v1"' ? c.body(null, 304) : c.text('the document');
    }),
  );
  const first = await request(`${server.url}/doc`);
  expect(await first.text()).toBe('the document');
  let cookie = cookiePair(first)!;
  for (const method of ['GET', 'HEAD']) {
    const revalidated = await request(`${server.url}/doc`, { method, headers: { cookie, 'if-none-match': '"v1"' } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe('"v1"');
    expect(cookiePair(revalidated)).toBeDefined();
    cookie = cookiePair(revalidated)!;
  }
  expect(await server.visits(cookie)).toEqual({ visits: 3 });
});

test("304 from Hono's etag() registered after the session middleware: the cookie goes out and the write is persisted", async () => {
  const server = await serveWithReader(
    withSession()
      .use(etag())
      .get('/doc', (c) => {
        countVisit(c);
        return c.text('the same document every time');
      }),
  );
  const first = await request(`${server.url}/doc`);
  expect(first.status).toBe(200);
  const tag = first.headers.get('etag');
  expect(tag).toMatch(/^"[0-9a-f]+"$/);

  const revalidated = await request(`${server.url}/doc`, { headers: { cookie: cookiePair(first)!, 'if-none-match': tag! } });
  expect(revalidated.status).toBe(304);
  expect(cookiePair(revalidated)).toBeDefined();
  expect(await server.visits(cookiePair(revalidated)!)).toEqual({ visits: 2 });
});

test('etag() registered before the session middleware drops Set-Cookie from its 304 unless it retains it', async () => {
  // etag() builds its 304 from an allow-list of headers (RFC 9110 §15.4.5), after the session
  // middleware has appended the cookie: the README says to register it after sessionMiddleware,
  // or to retain set-cookie.
  const route = (hono: Hono<Env>): Hono<Env> =>
    hono.use(sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate() })).get('/doc', (c) => {
      countVisit(c);
      return c.text('the same document every time');
    });
  const revalidate = async (hono: Hono<Env>): Promise<Response> => {
    const server = await serve(hono);
    const first = await request(`${server.url}/doc`);
    const headers = { cookie: cookiePair(first)!, 'if-none-match': first.headers.get('etag')! };
    return request(`${server.url}/doc`, { headers });
  };

  const stripped = await revalidate(route(new Hono<Env>().use(etag())));
  expect(stripped.status).toBe(304);
  expect(cookiePair(stripped)).toBeUndefined();

  const retained = await revalidate(route(new Hono<Env>().use(etag({ retainedHeaders: [...RETAINED_304_HEADERS, 'set-cookie'] }))));
  expect(retained.status).toBe(304);
  expect(cookiePair(retained)).toBeDefined();
});
