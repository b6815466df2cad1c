import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestHandler } from 'express';
import { Key, sessionMiddleware } from '../src/index.js';
import { closeAll, cookieNames, cookiePair, EXPRESS_VERSIONS, listen, request, SlowStore } from './helpers.js';

// The session must be committed before the response head is written, however the handler
// responds. The store is slow on purpose: a head written before the commit finished would go
// out without the cookie.

const dir = mkdtempSync(join(tmpdir(), 'sess-express-'));
const file = join(dir, 'hello.txt');
writeFileSync(file, 'hello from a file');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(closeAll);

describe.each(EXPRESS_VERSIONS)('$name', ({ express }) => {
  /** An app whose every route first writes to the session, then answers with `handler`. */
  async function serve(handler: RequestHandler, store = new SlowStore()) {
    const app = express();
    app.use(sessionMiddleware({ store, key: Key.generate() }));
    app.all('/', (req, _res, next) => {
      req.session.updateOr('visits', 1, (n: number) => n + 1);
      next();
    }, handler);
    return { server: await listen(app), store };
  }

  test('res.json', async () => {
    const { server, store } = await serve((req, res) => {
      res.json({ visits: req.session.get('visits') });
    });
    const res = await request(server.url);
    expect(await res.json()).toEqual({ visits: 1 });
    expect(cookiePair(res)).toBeDefined();
    expect(store.writes).toBe(1);
  });

  test('res.redirect, also for HEAD', async () => {
    const { server } = await serve((_req, res) => res.redirect(303, '/next'));
    for (const method of ['POST', 'HEAD']) {
      const res = await request(server.url, { method });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/next');
      expect(cookiePair(res)).toBeDefined();
      if (method === 'HEAD') expect(await res.text()).toBe('');
    }
  });

  test('a body written in several chunks over time', async () => {
    const { server } = await serve((_req, res) => {
      res.type('text/plain');
      res.write('a');
      setTimeout(() => {
        res.write('b');
        res.end('c');
      }, 50);
    });
    const res = await request(server.url);
    expect(cookiePair(res)).toBeDefined();
    expect(await res.text()).toBe('abc');
  });

  test('a stream piped into the response (backpressure, drain)', async () => {
    // Small chunks: the replayed write succeeds, so only the adapter's 'drain' resumes the pipe.
    const chunk = 'x'.repeat(4 * 1024);
    const { server } = await serve((_req, res, next) => {
      res.type('text/plain');
      pipeline(Readable.from(Array.from({ length: 256 }, () => chunk)), res).catch(next);
    });
    const res = await request(server.url);
    expect(cookiePair(res)).toBeDefined();
    expect((await res.text()).length).toBe(256 * chunk.length);
  });

  test('res.sendFile, HEAD and a 304 revalidation', async () => {
    const { server } = await serve((_req, res, next) => res.sendFile(file, (error) => error && next(error)));
    const first = await request(server.url);
    expect(await first.text()).toBe('hello from a file');
    expect(cookiePair(first)).toBeDefined();

    const head = await request(server.url, { method: 'HEAD', headers: { cookie: cookiePair(first)! } });
    expect(head.status).toBe(200);
    expect(cookiePair(head)).toBeDefined();

    const etag = first.headers.get('etag')!;
    // fetch adds `Cache-Control: no-cache` to conditional requests unless one is given; a
    // browser revalidating on reload sends max-age=0.
    const revalidated = await request(server.url, {
      headers: { cookie: cookiePair(head)!, 'if-none-match': etag, 'cache-control': 'max-age=0' },
    });
    expect(revalidated.status).toBe(304);
    expect(cookiePair(revalidated)).toBeDefined();
  });

  test('204 No Content', async () => {
    const { server } = await serve((_req, res) => {
      res.sendStatus(204);
    });
    const res = await request(server.url, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(cookiePair(res)).toBeDefined();
  });

  test('several Set-Cookie headers: res.cookie, res.append and writeHead headers are all kept', async () => {
    const { server } = await serve((_req, res) => {
      res.cookie('theme', 'dark');
      res.append('Set-Cookie', 'lang=en; Path=/');
      res.writeHead(201, 'Made', { 'Set-Cookie': ['a=1', 'b=2'], 'Content-Type': 'text/plain' });
      res.end('ok');
    });
    const res = await request(server.url);
    expect(res.status).toBe(201);
    expect(res.statusText).toBe('Made');
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(cookieNames(res).sort()).toEqual(['a', 'b', 'id', 'lang', 'theme']);
  });

  test('writeHead with a raw header array', async () => {
    const { server } = await serve((_req, res) => {
      res.writeHead(200, ['Set-Cookie', 'a=1', 'X-Raw', 'yes']);
      res.end();
    });
    const res = await request(server.url);
    expect(res.headers.get('x-raw')).toBe('yes');
    expect(cookieNames(res).sort()).toEqual(['a', 'id']);
  });

  test('flushHeaders, as server-sent events do', async () => {
    const { server } = await serve((_req, res) => {
      res.setHeader('Content-Type', 'text/event-stream');
      res.flushHeaders();
      res.write('data: 1\n\n');
      setTimeout(() => res.end('data: 2\n\n'), 20);
    });
    const res = await request(server.url);
    expect(cookiePair(res)).toBeDefined();
    expect(await res.text()).toBe('data: 1\n\ndata: 2\n\n');
  });

  test('Node semantics hold while the head is held: headersSent, and a second writeHead throws', async () => {
    const seen: unknown[] = [];
    const { server } = await serve((_req, res) => {
      seen.push(res.headersSent);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      seen.push(res.headersSent);
      try {
        res.writeHead(202);
      } catch (error) {
        seen.push((error as { code?: string }).code);
      }
      res.end('ok');
    });
    const res = await request(server.url);
    expect(res.status).toBe(200);
    expect(seen).toEqual([false, true, 'ERR_HTTP_HEADERS_SENT']);
  });

  test('a middleware that wraps res.write/res.end after the session one keeps its wrapper', async () => {
    const app = express();
    app.use(sessionMiddleware({ store: new SlowStore(10), key: Key.generate() }));
    // Like compression: wraps the methods it finds (ours) and calls them.
    app.use((_req, res, next) => {
      const { write, end } = res;
      const upper = (chunk: unknown) => (typeof chunk === 'string' ? chunk.toUpperCase() : chunk);
      res.write = function (this: typeof res, chunk: unknown, ...rest: unknown[]) {
        return (write as (...args: unknown[]) => boolean).call(this, upper(chunk), ...rest);
      } as typeof res.write;
      res.end = function (this: typeof res, chunk?: unknown, ...rest: unknown[]) {
        return (end as (...args: unknown[]) => typeof res).call(this, upper(chunk), ...rest);
      } as typeof res.end;
      next();
    });
    app.get('/', (req, res) => {
      req.session.insert('seen', true);
      res.write('a');
      setTimeout(() => {
        res.write('b');
        res.end('c');
      }, 50);
    });
    const server = await listen(app);
    const res = await request(server.url);
    expect(cookiePair(res)).toBeDefined();
    expect(await res.text()).toBe('ABC');
  });

  test('a middleware that answers without calling next', async () => {
    const app = express();
    app.use(sessionMiddleware({ store: new SlowStore(), key: Key.generate() }));
    app.use((req, res) => {
      req.session.insert('direct', true);
      res.send('answered directly');
    });
    const server = await listen(app);
    const res = await request(`${server.url}/anything`);
    expect(await res.text()).toBe('answered directly');
    expect(cookiePair(res)).toBeDefined();
  });

  test('a client that disconnects before the handler answers does not break the server', async () => {
    const store = new SlowStore();
    const abort = new AbortController();
    const { server } = await serve((_req, res) => {
      // The client leaves once the handler runs (a timer alone could fire before the request
      // even reached a busy server, and then no handler would ever answer).
      abort.abort();
      setTimeout(() => res.end('too late'), 50);
    }, store);
    const written = store.nextWrite();
    await expect(request(server.url, { signal: abort.signal })).rejects.toThrow();
    // The handler still answers, the session is committed and the held calls are replayed
    // into a closed socket, which Node ignores.
    await written;
    const next = await request(server.url);
    expect(next.status).toBe(200);
    expect(cookiePair(next)).toBeDefined();
  });
});
