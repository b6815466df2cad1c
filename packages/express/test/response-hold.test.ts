import { ServerResponse } from 'node:http';
import { Key, MemorySessionStore, sessionMiddleware } from '../src/index.js';
import { closeAll, cookieNames, cookiePair, EXPRESS_VERSIONS, listen, request, SlowStore } from './helpers.js';

// The response head is held only for requests whose commit may have work (the session changed,
// a key to re-issue): every other response goes out through Node's own methods, untouched.

afterEach(closeAll);

const wrapped = (res: ServerResponse): boolean =>
  res.end !== ServerResponse.prototype.end || res.writeHead !== ServerResponse.prototype.writeHead;

describe.each(EXPRESS_VERSIONS)('$name', ({ express }) => {
  test('a request that only reads the session, or has none, is never held; the first write holds it', async () => {
    const app = express();
    app.use(sessionMiddleware({ store: new MemorySessionStore(), key: Key.generate() }));
    app.get('/read', (req, res) => {
      res.json({ n: req.session.get('n') ?? 0, wrapped: wrapped(res) });
    });
    app.post('/write', (req, res) => {
      const before = wrapped(res);
      req.session.insert('n', 1);
      res.json({ before, after: wrapped(res) });
    });
    const server = await listen(app);

    const anonymous = await request(`${server.url}/read`);
    expect(await anonymous.json()).toEqual({ n: 0, wrapped: false });
    expect(cookieNames(anonymous)).toEqual([]);

    const write = await request(`${server.url}/write`, { method: 'POST' });
    expect(await write.json()).toEqual({ before: false, after: true });
    const cookie = cookiePair(write)!;
    expect(cookie).toBeDefined();

    const read = await request(`${server.url}/read`, { headers: { cookie } });
    expect(await read.json()).toEqual({ n: 1, wrapped: false });
    expect(cookieNames(read)).toEqual([]);
  });

  test('two session middlewares with different cookie names both commit on one response', async () => {
    const app = express();
    app.use(sessionMiddleware({ store: new SlowStore(), key: Key.generate(), cookie: { name: 'a' } }));
    const second = sessionMiddleware({ store: new SlowStore(), key: Key.generate(), cookie: { name: 'b' } });
    const firstSession = new WeakMap<object, unknown>();
    app.use((req, _res, next) => {
      firstSession.set(req, req.session);
      next();
    });
    app.use(second);
    app.post('/', (req, res) => {
      (firstSession.get(req) as typeof req.session).insert('from', 'a');
      req.session.insert('from', 'b');
      res.redirect(303, '/');
    });
    const server = await listen(app);
    const res = await request(server.url, { method: 'POST' });
    expect(res.status).toBe(303);
    expect(cookieNames(res).sort()).toEqual(['a', 'b']);
  });

  test('a session written after the response head went out is not persisted, and the response is intact', async () => {
    const store = new SlowStore();
    const app = express();
    app.use(sessionMiddleware({ store, key: Key.generate() }));
    app.get('/', (req, res) => {
      res.write('head and first chunk sent; ');
      req.session.insert('late', true);
      res.end('done');
    });
    const server = await listen(app);
    const res = await request(server.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('head and first chunk sent; done');
    expect(cookieNames(res)).toEqual([]);
    expect(store.writes).toBe(0);
  });
});
