import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { CookieSessionStore, Key, MemorySessionStore, type SessionStore } from '@sess/core';
import { createApp } from '../src/app.js';

interface Reply {
  status: number;
  location: string | undefined;
  body: string;
  cookies: string[];
}

function call(port: number, method: string, path: string, cookie?: string, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Connection: 'close' };
    if (cookie) headers.Cookie = cookie;
    if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: text, cookies: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const pair = (setCookie: string) => setCookie.split(';', 1)[0] as string;

describe.each<[string, () => SessionStore]>([
  ['cookie store', () => new CookieSessionStore()],
  ['memory store', () => new MemorySessionStore()],
])('examples/node-http with the %s', (_name, store) => {
  let server: ReturnType<typeof createApp>;
  let port: number;

  beforeAll(async () => {
    server = createApp({ store: store(), key: Key.generate() });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a new visitor gets the page and no cookie', async () => {
    const reply = await call(port, 'GET', '/');
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<strong id="counter">0</strong>');
    expect(reply.cookies).toEqual([]);
  });

  test('counter, login (renew) and logout (purge)', async () => {
    const lastStatus = (reply: Reply) => /id="last-status">([^<]*)</.exec(reply.body)?.[1];

    const first = await call(port, 'POST', '/counter');
    expect(first.status).toBe(303);
    expect(first.location).toBe('/?status=changed');
    expect(first.cookies).toHaveLength(1);
    let cookie = pair(first.cookies[0]!);

    const second = await call(port, 'POST', '/counter', cookie);
    cookie = pair(second.cookies[0]!);
    const counted = await call(port, 'GET', second.location!, cookie);
    expect(counted.body).toContain('<strong id="counter">2</strong>');
    expect(lastStatus(counted)).toBe('changed');
    expect(counted.body).toContain('<strong id="status">unchanged</strong>');

    const login = await call(port, 'POST', '/login', cookie, 'user=ferris');
    expect(login.location).toBe('/?status=renewed');
    expect(login.cookies).toHaveLength(1);
    const loggedIn = pair(login.cookies[0]!);
    expect(loggedIn).not.toBe(cookie);
    const page = await call(port, 'GET', login.location!, loggedIn);
    expect(lastStatus(page)).toBe('renewed');
    expect(page.body).toContain('<strong id="user-name">ferris</strong>');
    expect(page.body).toContain('<strong id="counter">2</strong>');

    const logout = await call(port, 'POST', '/logout', loggedIn);
    expect(logout.cookies).toHaveLength(1);
    expect(logout.cookies[0]).toMatch(/^id=;.*Max-Age=0/);
    expect(logout.location).toBe('/?status=purged');
    const after = await call(port, 'GET', logout.location!);
    expect(lastStatus(after)).toBe('purged');
    expect(after.body).toContain('<strong id="counter">0</strong>');
    expect(after.body).not.toContain('user-name');
  });

  test('the page shows a status from its query only when it is a SessionStatus', async () => {
    expect((await call(port, 'GET', '/?status=purged')).body).toContain('id="last-status">purged<');
    for (const query of ['status=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'status=Renewed', 'status=__proto__', 'status=changed&status=purged', 'status=']) {
      const reply = await call(port, 'GET', `/?${query}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('id="status">unchanged<');
      expect(reply.body).not.toContain('id="last-status"');
      expect(reply.body).not.toContain('<script');
    }
  });

  test('login without a name is a 400 and sets no cookie', async () => {
    const reply = await call(port, 'POST', '/login', undefined, 'user=');
    expect(reply.status).toBe(400);
    expect(reply.cookies).toEqual([]);
  });
});

test('examples/node-http answers an empty 500 and skips the handler when the store fails', async () => {
  const key = Key.generate();
  const good = createApp({ store: new MemorySessionStore(), key });
  const failing: SessionStore = {
    load: async () => {
      throw new Error('My error full of implementation details');
    },
    save: async () => 'random_value',
    update: async () => null,
    updateTtl: async () => undefined,
    delete: async () => undefined,
  };
  const bad = createApp({ store: failing, key });
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await new Promise<void>((resolve) => good.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => bad.listen(0, '127.0.0.1', resolve));
    const created = await call((good.address() as AddressInfo).port, 'POST', '/counter');
    const reply = await call((bad.address() as AddressInfo).port, 'POST', '/counter', pair(created.cookies[0]!));
    expect(reply.status).toBe(500);
    expect(reply.body).toBe('');
    expect(reply.cookies).toEqual([]);
    expect(errors).toHaveBeenCalled();
  } finally {
    errors.mockRestore();
    await new Promise((resolve) => good.close(resolve));
    await new Promise((resolve) => bad.close(resolve));
  }
});
