import { Key, MemorySessionStore, type SessionEvent } from '@sess/core';
import { ADAPTERS, type Route, send, text } from '@sess/test-harness';
import { serverPool } from '../src/matrix.js';

// Issue 20 §2: the default `Secure` cookie is dropped by browsers on plain HTTP to any host but
// localhost, silently. Every adapter tells the core how the request arrived, and the core reports it.

const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/write', handle: (session) => (session.insert('n', 1), text('ok')) },
  { method: 'GET', path: '/read', handle: () => text('ok') },
];

describe.each(ADAPTERS)('$name', (adapter) => {
  const servers = serverPool(adapter);
  afterEach(() => servers.closeAll());

  async function start(secure: boolean) {
    const events: SessionEvent[] = [];
    const server = await servers.start(ROUTES, {
      store: new MemorySessionStore(),
      key: Key.generate(),
      cookie: { secure },
      onEvent: (event) => events.push(event),
    });
    return { server, events };
  }

  test(`${adapter.name}: a Secure session cookie set over plain HTTP for a LAN host is reported, with the host`, async () => {
    const { server, events } = await start(true);
    for (const host of ['192.168.1.20:3000', 'app.internal', '[fd00::1]:8080']) {
      const res = await send(`${server.url}/write`, { method: 'POST', headers: { host } });
      expect(res.setCookie).toHaveLength(1);
    }
    expect(events).toEqual([
      { type: 'secure-cookie-over-http', cookieName: 'id', host: '192.168.1.20' },
      { type: 'secure-cookie-over-http', cookieName: 'id', host: 'app.internal' },
      { type: 'secure-cookie-over-http', cookieName: 'id', host: '[fd00::1]' },
    ]);
  });

  test(`${adapter.name}: nothing is reported for localhost and loopback, without a cookie, or with secure: false`, async () => {
    const { server, events } = await start(true);
    for (const host of ['localhost:3000', '127.0.0.1', 'app.localhost', '[::1]:3000']) {
      await send(`${server.url}/write`, { method: 'POST', headers: { host } });
    }
    await send(`${server.url}/read`, { headers: { host: '192.168.1.20' } });
    expect(events).toEqual([]);
    const insecure = await start(false);
    await send(`${insecure.server.url}/write`, { method: 'POST', headers: { host: '192.168.1.20' } });
    expect(insecure.events).toEqual([]);
  });
});
