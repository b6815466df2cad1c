import { generateSessionKey } from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { createClient } from 'redis';
import { parseInfo, redisCommand, type RedisServer, send, sessionCookie, startRedisServer, stopAllRedisServers } from '@sess/test-harness';
import { sessionKeyOf } from './helpers/session-key.js';
import { COOKIE, startSessionApp } from './helpers/session-app.js';

// What the store costs Redis, counted by Redis itself (INFO commandstats, INFO clients, MONITOR)
// on a redis-server of this file's own (port 7020), so nothing else is counted. The counters are
// read over a fresh raw connection that sends nothing but INFO and CONFIG RESETSTAT.
let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer({ port: 7020 });
}, 20_000);
afterAll(async () => {
  await server?.stop();
  await stopAllRedisServers();
});

const commandCalls = (): Promise<Record<string, number>> => server.commandCalls();
const resetStats = (): Promise<void> => server.resetStats();
/** Open client connections, the inspector's own included. */
async function connectedClients(): Promise<number> {
  return Number(parseInfo(String(await redisCommand(server.port, ['INFO', 'clients']))).connected_clients);
}
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!(await check()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

// Requests that carry no usable session and write nothing: none of them may reach Redis.
const sessionless: readonly (readonly [label: string, path: string, options: { method?: string; cookie?: string }])[] = [
  ['a GET without cookies', '/', {}],
  ['a GET with unrelated cookies', '/', { cookie: 'theme=dark; lang=en' }],
  ['a POST that touches no session', '/noop', { method: 'POST' }],
  ['a GET with a wrongly signed session cookie', '/', { cookie: `${COOKIE}=${'A'.repeat(43)}%3D${generateSessionKey()}` }],
  ['a GET with an empty session cookie', '/', { cookie: `${COOKIE}=` }],
  ['a logout without a session', '/logout', { method: 'POST' }],
];

async function visitWithoutSession(appUrl: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    for (const [label, path, options] of sessionless) {
      const reply = await send(`${appUrl}${path}`, options);
      expect({ label, status: reply.status, cookie: sessionCookie(reply, COOKIE) }).toEqual({ label, status: 200, cookie: undefined });
    }
  }
}

describe('RedisSessionStore costs Redis nothing for visitors without a session', () => {
  it('with a url: no command and not even a connection, until a visitor writes', async () => {
    await resetStats();
    const store = new RedisSessionStore({ url: server.url });
    const app = await startSessionApp({ store });
    try {
      await visitWithoutSession(app.url);
      expect(await commandCalls()).toEqual({});
      expect(await connectedClients()).toBe(1);

      // Control: the counters do see the store once a visitor writes.
      const write = await send(`${app.url}/inc`, { method: 'POST' });
      expect(write.status).toBe(200);
      expect(sessionCookie(write, COOKIE)).toBeDefined();
      expect((await commandCalls()).set).toBe(1);
      expect(await connectedClients()).toBe(2);
    } finally {
      await app.close();
      await store.close();
    }
    await eventually(async () => (await connectedClients()) === 1);
    expect(await connectedClients()).toBe(1);
  });

  it('with a client it was given: no command', async () => {
    const client = createClient({ url: server.url });
    client.on('error', () => undefined);
    await client.connect();
    const store = new RedisSessionStore({ client });
    const app = await startSessionApp({ store });
    try {
      await resetStats();
      await visitWithoutSession(app.url);
      expect(await commandCalls()).toEqual({});

      const write = await send(`${app.url}/inc`, { method: 'POST' });
      expect(write.status).toBe(200);
      expect(await commandCalls()).toEqual({ set: 1 });
      const read = await send(app.url, { cookie: sessionCookie(write, COOKIE) });
      expect(JSON.parse(read.body)).toEqual({ user: null, counter: 1 });
      expect(await commandCalls()).toEqual({ set: 1, get: 1 });
    } finally {
      await app.close();
      await store.close();
      client.destroy();
    }
  });

  it('does not connect when created, and a store closed unused never connects', async () => {
    await eventually(async () => (await connectedClients()) === 1);
    const store = new RedisSessionStore({ url: server.url });
    expect(await connectedClients()).toBe(1);
    await store.close();
    expect(await connectedClients()).toBe(1);
    await expect(store.load(generateSessionKey())).rejects.toMatchObject({ name: 'LoadError', kind: 'other' });
    expect(await connectedClients()).toBe(1);
  });
});

/** The arguments of a `MONITOR` line: `<time> [<db> <addr>] "SET" "k" "v\\"q"` → `['SET', 'k', 'v"q']`. */
function monitoredArgs(line: string): string[] {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', '"': '"', '\\': '\\' };
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(([, quoted]) =>
    (quoted ?? '').replace(/\\(x[0-9a-f]{2}|.)/g, (_, escape: string) =>
      escape.length === 3 ? String.fromCharCode(parseInt(escape.slice(1), 16)) : (escapes[escape] ?? escape),
    ),
  );
}

describe('RedisSessionStore writes every TTL in the same command as its value', () => {
  it('save is one SET … NX EX; an update is GET then one compare-and-update script whose SET carries EX, no EXPIRE (MONITOR)', async () => {
    const monitor = createClient({ url: server.url });
    monitor.on('error', () => undefined);
    await monitor.connect();
    // Each monitored command with where it came from: a client, or `lua` (inside a script).
    const seen: { from: 'client' | 'lua'; args: string[] }[] = [];
    await monitor.monitor((line: string) => seen.push({ from: /\[\d+ lua\]/.test(line) ? 'lua' : 'client', args: monitoredArgs(line) }));
    const store = new RedisSessionStore({ url: server.url });
    const app = await startSessionApp({ store });
    try {
      await resetStats();
      const created = await send(`${app.url}/inc`, { method: 'POST' });
      const cookie = sessionCookie(created, COOKIE) as string;
      const key = sessionKeyOf(cookie);
      await send(`${app.url}/inc`, { method: 'POST', cookie });
      const isSessionCommand = ({ args }: { args: string[] }): boolean => !['hello', 'client', 'info', 'config'].includes(args[0]?.toLowerCase() ?? '');
      await eventually(async () => seen.filter(isSessionCommand).some(({ from, args }) => from === 'lua' && args[0] === 'SET'));
      const first = seen.filter(isSessionCommand).map(({ from, args }) => `${from} ${args[0]}`);
      // The save, the load, then the script: sent by EVALSHA, or by EVAL when this fresh server did not know it yet.
      expect(first.slice(0, 2)).toEqual(['client SET', 'client GET']);
      expect(first.slice(-3)).toEqual(['client EVAL', 'lua GET', 'lua SET']);
      expect(seen.filter(isSessionCommand)[0]!.args).toEqual(['SET', key, '{"v":1,"state":{"counter":1}}', 'EX', '86400', 'NX']);

      // Steady state: the script is cached; an update is exactly GET + EVALSHA from the client.
      seen.length = 0;
      const updated = await send(`${app.url}/inc`, { method: 'POST', cookie });
      expect(JSON.parse(updated.body)).toEqual({ user: null, counter: 3 });
      await eventually(async () => seen.filter(isSessionCommand).length >= 4);
      const steady = seen.filter(isSessionCommand);
      expect(steady.filter(({ from }) => from === 'client').map(({ args }) => args[0])).toEqual(['GET', 'EVALSHA']);
      // Inside the script: the value and its TTL in one SET, no EXPIRE anywhere.
      expect(steady.filter(({ from }) => from === 'lua').map(({ args }) => args)).toEqual([
        ['GET', key],
        ['SET', key, '{"v":1,"state":{"counter":3}}', 'EX', '86400'],
      ]);
      expect(Object.keys(await commandCalls()).filter((name) => name.includes('expire'))).toEqual([]);
      const ttl = Number(await redisCommand(server.port, ['TTL', key]));
      expect(ttl).toBeGreaterThan(86_390);
      expect(ttl).toBeLessThanOrEqual(86_400);
    } finally {
      await app.close();
      await store.close();
      monitor.destroy();
    }
  });
});
