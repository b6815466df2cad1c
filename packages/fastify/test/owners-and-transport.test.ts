import { request as httpRequest } from 'node:http';
import Fastify from 'fastify';
import { Key, MemorySessionStore, sessionPlugin, type SessionEvent } from '../src/index.js';
import { closeAll, cookiePair, listen, request } from './helpers.js';

afterEach(closeAll);

/** A POST with a `Host` header of our choice (fetch may not set one) and optional extra headers. */
function post(url: string, headers: Record<string, string>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers['set-cookie'] ?? []));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('app.sessionOwners', () => {
  test("lists an owner's sessions, marks the current one, and revokes the others", async () => {
    const app = Fastify();
    await app.register(sessionPlugin, { store: new MemorySessionStore(), key: Key.generate() });
    app.post('/login', async (req) => {
      req.session.setOwner('ferris', { device: String(req.headers['x-device']) });
      req.session.renew();
      return 'in';
    });
    app.get('/sessions', async (req) => (await app.sessionOwners.list(req.session)).map((s) => ({ current: s.current, details: s.details })));
    app.post('/sign-out-others', async (req) => ({ revoked: await app.sessionOwners.revokeOthers(req.session) }));
    const url = await listen(app);

    const laptop = cookiePair(await request(`${url}/login`, { method: 'POST', headers: { 'x-device': 'laptop' } }))!;
    const phone = cookiePair(await request(`${url}/login`, { method: 'POST', headers: { 'x-device': 'phone' } }))!;
    const listed = (await (await request(`${url}/sessions`, { headers: { cookie: laptop } })).json()) as { current: boolean; details: unknown }[];
    expect(listed).toHaveLength(2);
    expect(listed).toContainEqual({ current: true, details: { device: 'laptop' } });
    expect(listed).toContainEqual({ current: false, details: { device: 'phone' } });

    expect(await (await request(`${url}/sign-out-others`, { method: 'POST', headers: { cookie: laptop } })).json()).toEqual({ revoked: 1 });
    expect(await (await request(`${url}/sessions`, { headers: { cookie: phone } })).json()).toEqual([]);
  });
});

describe('a Secure cookie over plain HTTP (secure-cookie-over-http)', () => {
  async function start(trustProxy: boolean) {
    const events: SessionEvent[] = [];
    const app = Fastify({ trustProxy });
    await app.register(sessionPlugin, { store: new MemorySessionStore(), key: Key.generate(), onEvent: (event) => events.push(event) });
    app.post('/write', async (req) => {
      req.session.insert('n', 1);
      return 'ok';
    });
    return { url: `${await listen(app)}/write`, events };
  }

  test('is reported for a LAN host, with the host; not for localhost and loopback', async () => {
    const { url, events } = await start(false);
    for (const host of ['192.168.1.20:3000', 'app.internal', 'localhost:3000', '127.0.0.1', '[::1]:3000']) {
      expect(await post(url, { host })).toHaveLength(1);
    }
    expect(events).toEqual([
      { type: 'secure-cookie-over-http', cookieName: 'id', host: '192.168.1.20' },
      { type: 'secure-cookie-over-http', cookieName: 'id', host: 'app.internal' },
    ]);
  });

  test("follows Fastify's trustProxy: X-Forwarded-Proto https from a trusted proxy is not plain HTTP", async () => {
    const trusted = await start(true);
    await post(trusted.url, { host: 'app.example', 'x-forwarded-proto': 'https' });
    expect(trusted.events).toEqual([]);
    const untrusted = await start(false);
    await post(untrusted.url, { host: 'app.example', 'x-forwarded-proto': 'https' });
    expect(untrusted.events).toEqual([{ type: 'secure-cookie-over-http', cookieName: 'id', host: 'app.example' }]);
  });
});
