import { SessionError } from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { createClient } from 'redis';
import { type HttpResponse, parseInfo, redisCommand, type RedisServer, removesCookie, send, sessionCookie, startRedisServer, stopAllRedisServers } from '@sess/test-harness';
import { sessionKeyOf } from './helpers/session-key.js';
import { COOKIE, startSessionApp, type SessionApp } from './helpers/session-app.js';

// Redis failing under a real app (node:http + createSessionManager + RedisSessionStore), each
// test on a redis-server of its own that it crashes, stops, freezes or restarts. An 'error'
// event nobody handles would be an uncaught exception, which fails the jest test it happens in:
// passing tests are also proof that the process did not crash.
const TIMEOUT_MS = 300;
// Generous bound on a failing request: the command timeout plus slack for a loaded CI machine.
// Without the store's own deadline, a frozen Redis would hold requests forever, and node-redis'
// default queue timeout alone would hold them 5 s.
const FAIL_WITHIN_MS = TIMEOUT_MS + 1500;

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const resource of running.splice(0).reverse()) await resource.close();
});
afterAll(stopAllRedisServers);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const dbsize = async (redis: RedisServer): Promise<number> => Number(await redisCommand(redis.port, ['DBSIZE']));
const body = (reply: HttpResponse): unknown => JSON.parse(reply.body);
/** How many times `command` ran on `redis` since it started, per `INFO commandstats`. */
async function calls(redis: RedisServer, command: string): Promise<number> {
  const stats = parseInfo(String(await redisCommand(redis.port, ['INFO', 'commandstats'])));
  return Number(/calls=(\d+)/.exec(stats[`cmdstat_${command}`] ?? '')?.[1] ?? 0);
}

async function app(store: RedisSessionStore, beforeSlowWrite?: () => Promise<void>): Promise<SessionApp> {
  const started = await startSessionApp({ store, beforeSlowWrite });
  running.push(started, { close: () => store.close() });
  return started;
}
async function server(port: number): Promise<RedisServer> {
  const redis = await startRedisServer({ port });
  running.push({ close: () => redis.stop() });
  return redis;
}
async function login(appUrl: string, user = 'ferris'): Promise<string> {
  const reply = await send(`${appUrl}/login?user=${user}`, { method: 'POST' });
  expect(reply.status).toBe(200);
  return sessionCookie(reply, COOKIE) as string;
}
/** Retries `request` until it answers 200, for at most `ms`. */
async function until200(request: () => Promise<HttpResponse>, ms: number): Promise<HttpResponse> {
  const deadline = performance.now() + ms;
  for (;;) {
    const reply = await request();
    if (reply.status === 200 || performance.now() > deadline) return reply;
    await sleep(100);
  }
}
/** Retries `call` until it resolves, for at most `ms`; returns its value (or its last failure). */
async function until<T>(call: () => Promise<T>, ms: number): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await sleep(100);
    }
  }
}
/** The opaque failure every request needing Redis must get while it is unreachable. */
function expectOpaque500(reply: HttpResponse): void {
  expect({ status: reply.status, body: reply.body, setCookie: reply.setCookie }).toEqual({ status: 500, body: '', setCookie: [] });
  expect(reply.ms).toBeLessThan(FAIL_WITHIN_MS);
}
/** What the app handed to its error handling: generic session errors, the detail only as cause. */
function expectOpaqueFailures(failures: unknown[]): void {
  expect(failures.length).toBeGreaterThan(0);
  for (const failure of failures) {
    expect(failure).toBeInstanceOf(SessionError);
    expect(failure).toMatchObject({ status: 500, expose: false });
    expect((failure as Error).message).not.toMatch(/redis|ECONNREFUSED|timed? ?out/i);
    expect((failure as Error).cause).toBeDefined();
  }
}

describe('RedisSessionStore when Redis fails', () => {
  it('answers opaque 500s within the timeout while Redis is killed during traffic, never touching the cookie', async () => {
    const redis = await server(7010);
    const clientErrors: Error[] = [];
    const store = new RedisSessionStore({
      url: redis.url,
      commandTimeoutMs: TIMEOUT_MS,
      connectTimeoutMs: TIMEOUT_MS,
      onError: (error) => clientErrors.push(error),
    });
    const site = await app(store);
    const cookie = await login(site.url);
    const key = sessionKeyOf(cookie);

    const replies: (HttpResponse & { sentAt: number })[] = [];
    let stop = false;
    const visitor = async (): Promise<void> => {
      while (!stop) {
        for (const [method, path] of [['GET', '/'], ['POST', '/inc']] as const) {
          const sentAt = performance.now();
          replies.push({ ...(await send(`${site.url}${path}`, { method, cookie })), sentAt });
        }
      }
    };
    const visitors = Array.from({ length: 4 }, visitor);
    await sleep(300);
    const killing = performance.now();
    await redis.kill();
    const killedAt = performance.now();
    await sleep(1500);
    stop = true;
    await Promise.all(visitors);

    const before = replies.filter((reply) => reply.sentAt + reply.ms < killing);
    const after = replies.filter((reply) => reply.sentAt > killedAt);
    expect(before.length).toBeGreaterThan(4);
    expect(after.length).toBeGreaterThan(4);
    for (const reply of before) expect(reply.status).toBe(200);
    for (const reply of after) expectOpaque500(reply);
    for (const reply of replies) {
      expect([200, 500]).toContain(reply.status);
      if (reply.status === 500) expectOpaque500(reply);
      // The user's cookie is never removed nor replaced by another session.
      expect(removesCookie(reply, COOKIE)).toBe(false);
      const issued = sessionCookie(reply, COOKIE);
      if (issued !== undefined) expect(sessionKeyOf(issued)).toBe(key);
    }
    expectOpaqueFailures(site.failures);
    // The client's errors reached onError instead of the process.
    expect(clientErrors.length).toBeGreaterThan(0);
    // A visitor without a session still gets the page: it needs no Redis.
    const anonymous = await send(site.url);
    expect(anonymous.status).toBe(200);
  }, 30_000);

  it('works again by itself when Redis restarts without data: old cookies get empty sessions, new sessions work', async () => {
    let redis = await server(7011);
    const store = new RedisSessionStore({ url: redis.url, commandTimeoutMs: TIMEOUT_MS, connectTimeoutMs: TIMEOUT_MS });
    const site = await app(store);
    const cookie = await login(site.url);
    const oldKey = sessionKeyOf(cookie);
    expect(body(await send(`${site.url}/inc`, { method: 'POST', cookie }))).toEqual({ user: 'ferris', counter: 1 });

    await redis.stop();
    expectOpaque500(await send(site.url, { cookie }));
    expectOpaque500(await send(`${site.url}/inc`, { method: 'POST' }));

    redis = await server(7011);
    const restartedAt = performance.now();
    const recovered = await until200(() => send(site.url, { cookie }), 5000);
    // Reconnection is automatic, with a backoff capped at about a second.
    expect(performance.now() - restartedAt).toBeLessThan(5000);
    expect(recovered.status).toBe(200);
    expect(body(recovered)).toEqual({ user: null, counter: 0 });
    expect(recovered.setCookie).toEqual([]);
    expect(await dbsize(redis)).toBe(0);

    const resumed = await send(`${site.url}/inc`, { method: 'POST', cookie });
    expect(resumed.status).toBe(200);
    expect(body(resumed)).toEqual({ user: null, counter: 1 });
    const newCookie = sessionCookie(resumed, COOKIE) as string;
    const newKey = sessionKeyOf(newCookie);
    expect(newKey).not.toBe(oldKey);
    expect(await dbsize(redis)).toBe(1);
    expect(Number(await redisCommand(redis.port, ['TTL', newKey]))).toBeGreaterThan(0);
    expect(Number(await redisCommand(redis.port, ['EXISTS', oldKey]))).toBe(0);

    const stranger = await send(`${site.url}/inc`, { method: 'POST' });
    expect(stranger.status).toBe(200);
    expect(sessionCookie(stranger, COOKIE)).toBeDefined();
    expect(await dbsize(redis)).toBe(2);
    expect(body(await send(site.url, { cookie: newCookie }))).toEqual({ user: null, counter: 1 });
  }, 30_000);

  it('bounds every request by commandTimeoutMs when Redis hangs, and with a client it owns fails fast until Redis answers again', async () => {
    const redis = await server(7012);
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    running.push({ close: async () => client.destroy() });
    const store = new RedisSessionStore({ client, commandTimeoutMs: TIMEOUT_MS });
    const site = await app(store);
    const cookie = await login(site.url);
    // A store that owns its client, connected and serving before Redis freezes.
    const serving = new RedisSessionStore({ url: redis.url, commandTimeoutMs: TIMEOUT_MS, connectTimeoutMs: TIMEOUT_MS });
    const servingSite = await app(serving);
    const servingCookie = await login(servingSite.url);

    // Frozen: the connection stays open, commands are written, no reply ever comes.
    redis.pause();
    const replies = await Promise.all([
      ...Array.from({ length: 4 }, () => send(site.url, { cookie })),
      ...Array.from({ length: 4 }, () => send(`${site.url}/inc`, { method: 'POST', cookie })),
      send(`${site.url}/inc`, { method: 'POST' }),
    ]);
    for (const reply of replies) {
      expectOpaque500(reply);
      // It did wait for Redis (this is the deadline firing, not a refused connection).
      expect(reply.ms).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.8);
    }
    expectOpaqueFailures(site.failures);
    const causes = site.failures.map((failure) => ((failure as Error).cause as Error).cause as Error);
    for (const cause of causes) expect(cause.name).toBe('RedisTimeoutError');

    // The store that owns its client: the first requests wait out the deadline, which tells it
    // its connection went silent; it replaces the connection and, until Redis answers a PING
    // again, fails later requests at once instead of letting each wait its whole deadline.
    const firstWave = await Promise.all(Array.from({ length: 4 }, () => send(servingSite.url, { cookie: servingCookie })));
    for (const reply of firstWave) {
      expectOpaque500(reply);
      expect(reply.ms).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.8);
    }
    // Over several commandTimeoutMs, during which the silent replacement connections are
    // themselves replaced: every request still fails fast.
    for (let wave = 0; wave < 4; wave++) {
      const replies = await Promise.all([
        ...Array.from({ length: 3 }, () => send(servingSite.url, { cookie: servingCookie })),
        send(`${servingSite.url}/inc`, { method: 'POST', cookie: servingCookie }),
        send(`${servingSite.url}/inc`, { method: 'POST' }),
      ]);
      for (const reply of replies) {
        expectOpaque500(reply);
        expect(reply.ms).toBeLessThan(TIMEOUT_MS / 2);
      }
      await sleep(TIMEOUT_MS / 2);
    }
    expectOpaqueFailures(servingSite.failures);

    // A store that owns its client and first connects to the frozen server: the connection is
    // accepted by the kernel but the handshake never answered, and the deadline still holds.
    const owned = new RedisSessionStore({ url: redis.url, commandTimeoutMs: TIMEOUT_MS, connectTimeoutMs: TIMEOUT_MS });
    running.push({ close: () => owned.close() });
    const started = performance.now();
    await expect(owned.load(sessionKeyOf(cookie))).rejects.toMatchObject({ name: 'LoadError', kind: 'other' });
    expect(performance.now() - started).toBeLessThan(FAIL_WITHIN_MS);
    // And then it too fails at once rather than waiting on the silent connection again.
    const again = performance.now();
    await expect(owned.load(sessionKeyOf(cookie))).rejects.toMatchObject({ name: 'LoadError', kind: 'other' });
    expect(performance.now() - again).toBeLessThan(TIMEOUT_MS / 2);

    redis.resume();
    const resumedAt = performance.now();
    const servingBack = await until200(() => send(servingSite.url, { cookie: servingCookie }), 3000);
    expect(body(servingBack)).toEqual({ user: 'ferris', counter: 0 });
    // Back within about one PING round trip (plus the retry pause of until200).
    expect(performance.now() - resumedAt).toBeLessThan(TIMEOUT_MS + 1000);
    const counted = await send(`${servingSite.url}/inc`, { method: 'POST', cookie: servingCookie });
    expect(body(counted)).toEqual({ user: 'ferris', counter: 1 });
    const back = await until200(() => send(site.url, { cookie }), 3000);
    expect(body(back)).toEqual({ user: 'ferris', counter: 0 });
    expect(await until(() => owned.load(sessionKeyOf(cookie)), 3000)).toEqual({ user: 'ferris' });
  }, 30_000);

  it('bounds requests on a client it was given whose offline queue is on, while Redis is down', async () => {
    const redis = await server(7013);
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    running.push({ close: async () => client.destroy() });
    const store = new RedisSessionStore({ client, commandTimeoutMs: TIMEOUT_MS });
    const site = await app(store);
    const cookie = await login(site.url);

    await redis.kill();
    const replies = await Promise.all(Array.from({ length: 6 }, () => send(site.url, { cookie })));
    for (const reply of replies) expectOpaque500(reply);

    // Back on the same port, empty.
    await server(7013);
    const back = await until200(() => send(site.url, { cookie }), 5000);
    expect(back.status).toBe(200);
    expect(body(back)).toEqual({ user: null, counter: 0 });
  }, 30_000);

  it('drops the commands a given client queued while Redis was down, so none of them runs late once it is back', async () => {
    let redis = await server(7015);
    // node-redis' defaults: the offline queue is on, so commands sent while disconnected wait in
    // the client for the next connection.
    const client = createClient({ url: redis.url, socket: { reconnectStrategy: 100 } });
    client.on('error', () => undefined);
    await client.connect();
    running.push({ close: async () => client.destroy() });
    const store = new RedisSessionStore({ client, commandTimeoutMs: TIMEOUT_MS });
    running.push({ close: () => store.close() });
    const key = await store.save({ user: 'ferris' }, 60);

    await redis.kill();
    const started = performance.now();
    const outcomes = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => store.save({ stale: i }, 60).catch((error: unknown) => error)),
      ...Array.from({ length: 20 }, (_, i) => store.update(key, { stale: i }, 60).catch((error: unknown) => error)),
    ]);
    expect(performance.now() - started).toBeLessThan(FAIL_WITHIN_MS);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'other' });

    // Back, empty, after the store gave up on those calls. Had their SETs stayed in the client's
    // queue (unbounded while Redis is down), the client would send them on reconnecting: saves
    // nobody holds a key to, and updates writing a state the user may have changed since.
    await sleep(TIMEOUT_MS);
    redis = await server(7015);
    // Queued behind anything still in the client's queue: once it answers, all of that has run.
    expect(await client.ping()).toBe('PONG');
    expect(await calls(redis, 'set')).toBe(0);
    expect(await dbsize(redis)).toBe(0);

    // And the store works again on the same client.
    const fresh = await store.save({ user: 'ferris' }, 60);
    expect(await store.load(fresh)).toEqual({ user: 'ferris' });
    expect(await calls(redis, 'set')).toBe(1);
    expect(await dbsize(redis)).toBe(1);
  }, 30_000);

  it('never lets a slow writing request undo a logout made meanwhile', async () => {
    const redis = await server(7014);
    const store = new RedisSessionStore({ url: redis.url, commandTimeoutMs: TIMEOUT_MS });
    let release!: () => void;
    let reached!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    const site = await app(store, async () => {
      reached();
      await released;
    });
    const cookie = await login(site.url);
    const key = sessionKeyOf(cookie);
    expect(await dbsize(redis)).toBe(1);

    // The slow request has loaded the logged-in state and will write after the logout.
    const slow = send(`${site.url}/slow`, { method: 'POST', cookie });
    await atGate;
    const logout = await send(`${site.url}/logout`, { method: 'POST', cookie });
    expect(logout.status).toBe(200);
    expect(removesCookie(logout, COOKIE)).toBe(true);
    expect(await dbsize(redis)).toBe(0);

    release();
    const late = await slow;
    expect(late.status).toBe(200);
    // Its write found the state gone (SET XX answered nil): nothing written, the cookie cleared.
    expect(removesCookie(late, COOKIE)).toBe(true);
    expect(await dbsize(redis)).toBe(0);
    expect(Number(await redisCommand(redis.port, ['EXISTS', key]))).toBe(0);

    const afterwards = await send(site.url, { cookie });
    expect(body(afterwards)).toEqual({ user: null, counter: 0 });
    expect(afterwards.setCookie).toEqual([]);
    expect(await dbsize(redis)).toBe(0);
  }, 30_000);
});
