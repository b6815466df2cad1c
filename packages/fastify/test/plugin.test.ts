import { Readable } from 'node:stream';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Key, MemorySessionStore, sessionPlugin, type SessionStore } from '../src/index.js';
import { closeAll, cookieNames, cookiePair, listen, request, SlowStore } from './helpers.js';

// Every way a Fastify route answers carries the session cookie, over real HTTP, with a store
// that answers at once (no promise on the way) and with one that makes load and commit wait.

afterEach(closeAll);

const STORES = [
  { name: 'memory store (synchronous)', store: (): SessionStore => new MemorySessionStore() },
  { name: 'slow store (promises)', store: (): SessionStore => new SlowStore() },
];

/** An app with the plugin and `GET /visits`, which reads the session without writing to it. */
async function app(store: SessionStore): Promise<FastifyInstance> {
  const fastify = Fastify();
  await fastify.register(sessionPlugin, { store, key: Key.generate() });
  fastify.get('/visits', async (req) => ({ visits: req.session.get('visits') ?? null }));
  return fastify;
}

function countVisit(req: FastifyRequest): void {
  req.session.updateOr('visits', 1, (n: number) => n + 1);
}

async function visits(url: string, cookie: string): Promise<unknown> {
  return (await request(`${url}/visits`, { headers: { cookie } })).json();
}

describe.each(STORES)('$name', ({ store }) => {
  test('a returned object: the session is kept across requests, no cookie for a reader who wrote nothing', async () => {
    const fastify = await app(store());
    fastify.post('/visit', async (req) => {
      countVisit(req);
      return { visits: req.session.get('visits') };
    });
    const url = await listen(fastify);

    const reader = await request(`${url}/visits`);
    expect(await reader.json()).toEqual({ visits: null });
    expect(reader.headers.getSetCookie()).toEqual([]);

    const first = await request(`${url}/visit`, { method: 'POST' });
    expect(await first.json()).toEqual({ visits: 1 });
    const cookie = cookiePair(first)!;
    expect(cookie).toBeDefined();
    const second = await request(`${url}/visit`, { method: 'POST', headers: { cookie } });
    expect(await second.json()).toEqual({ visits: 2 });
    expect(await visits(url, cookiePair(second) ?? cookie)).toEqual({ visits: 2 });
  });

  test('reply.send(stream): the body streams after the cookie', async () => {
    const fastify = await app(store());
    fastify.get('/stream', (req, reply) => {
      countVisit(req);
      reply.type('text/plain').send(Readable.from(['a', 'b', 'c']));
    });
    const url = await listen(fastify);
    const res = await request(`${url}/stream`);
    expect(await res.text()).toBe('abc');
    expect(await visits(url, cookiePair(res)!)).toEqual({ visits: 1 });
  });

  test('reply.redirect, for GET and HEAD', async () => {
    const fastify = await app(store());
    fastify.get('/go', (req, reply) => {
      countVisit(req);
      return reply.redirect('/next', 303);
    });
    const url = await listen(fastify);
    for (const method of ['GET', 'HEAD']) {
      const res = await request(`${url}/go`, { method });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/next');
      expect(await visits(url, cookiePair(res)!)).toEqual({ visits: 1 });
    }
  });

  test('HEAD of a route that writes: no body, the cookie goes out and the write is persisted', async () => {
    const fastify = await app(store());
    fastify.get('/page', async (req) => {
      countVisit(req);
      return 'the page';
    });
    const url = await listen(fastify);
    const head = await request(`${url}/page`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(await visits(url, cookiePair(head)!)).toEqual({ visits: 1 });
  });

  test('204 No Content: the cookie goes out and the writes are persisted', async () => {
    const fastify = await app(store());
    fastify.post('/ping', (req, reply) => {
      countVisit(req);
      reply.code(204).send();
    });
    const url = await listen(fastify);
    const first = await request(`${url}/ping`, { method: 'POST' });
    expect(first.status).toBe(204);
    const second = await request(`${url}/ping`, { method: 'POST', headers: { cookie: cookiePair(first)! } });
    expect(second.status).toBe(204);
    expect(await second.text()).toBe('');
    expect(await visits(url, cookiePair(second) ?? cookiePair(first)!)).toEqual({ visits: 2 });
  });

  test('304 Not Modified, for GET and HEAD: the cookie goes out and the writes are persisted', async () => {
    const fastify = await app(store());
    fastify.get('/doc', (req, reply) => {
      countVisit(req);
      reply.header('etag', '"v1"');
      if (req.headers['if-none-match'] === '"v1"') return reply.code(304).send();
      return reply.type('text/plain').send('the document');
    });
    const url = await listen(fastify);
    const first = await request(`${url}/doc`);
    expect(await first.text()).toBe('the document');
    let cookie = cookiePair(first)!;
    for (const method of ['GET', 'HEAD']) {
      const revalidated = await request(`${url}/doc`, { method, headers: { cookie, 'if-none-match': '"v1"' } });
      expect(revalidated.status).toBe(304);
      expect(await revalidated.text()).toBe('');
      cookie = cookiePair(revalidated) ?? cookie;
    }
    expect(await visits(url, cookie)).toEqual({ visits: 3 });
  });

  test("the route's own cookies are kept: reply.header, and @fastify/cookie's reply.setCookie registered before or after", async () => {
    for (const cookieFirst of [true, false]) {
      const fastify = Fastify();
      if (cookieFirst) await fastify.register(fastifyCookie);
      await fastify.register(sessionPlugin, { store: store(), key: Key.generate() });
      if (!cookieFirst) await fastify.register(fastifyCookie);
      fastify.get('/', (req, reply: FastifyReply) => {
        countVisit(req);
        reply.header('set-cookie', 'lang=en; Path=/');
        reply.setCookie('theme', 'dark', { path: '/' });
        return reply.send('ok');
      });
      const url = await listen(fastify);
      const res = await request(url);
      expect(await res.text()).toBe('ok');
      expect(cookieNames(res).sort()).toEqual(['id', 'lang', 'theme']);
    }
  });
});

test('a slow store: the reply waits for the commit, so the cookie is never missing', async () => {
  const slow = new SlowStore(50);
  const fastify = await app(slow);
  fastify.post('/visit', async (req) => {
    countVisit(req);
    return { ok: true };
  });
  const url = await listen(fastify);
  const res = await request(`${url}/visit`, { method: 'POST' });
  expect(cookiePair(res)).toBeDefined();
  expect(slow.writes).toBe(1);
  await visits(url, cookiePair(res)!);
  expect(slow.loads).toBe(1);
});

test('routes of an encapsulated context see the session of a plugin registered on its parent', async () => {
  const fastify = await app(new MemorySessionStore());
  await fastify.register(
    async (child) => {
      child.post('/visit', async (req) => {
        countVisit(req);
        return { visits: req.session.get('visits') };
      });
    },
    { prefix: '/api' },
  );
  const url = await listen(fastify);
  const res = await request(`${url}/api/visit`, { method: 'POST' });
  expect(await res.json()).toEqual({ visits: 1 });
  expect(await visits(url, cookiePair(res)!)).toEqual({ visits: 1 });
});

test('a 404 of an unknown route still answers, and sets no cookie', async () => {
  const url = await listen(await app(new MemorySessionStore()));
  const res = await request(`${url}/nowhere`);
  expect(res.status).toBe(404);
  expect(res.headers.getSetCookie()).toEqual([]);
});
