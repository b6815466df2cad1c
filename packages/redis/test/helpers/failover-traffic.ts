import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Key, sessionMiddleware } from '@sess/express';
import type { SessionStore } from '@sess/core';
import express from 'express';
import { send, sessionCookie, type HttpResponse } from '@sess/test-harness';

/** An Express app on real HTTP whose sessions live in `store`. */
export interface FailoverApp {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Express 5 with `@sess/express` and the error handler of a production app: a failure is an
 * empty-of-details 500 (`Internal Server Error`, as text). Routes: `POST /login?user=…` logs in and renews;
 * `POST /inc` counts (a compare-and-update); `GET /` shows the user and the counter.
 */
export async function startFailoverApp(store: SessionStore): Promise<FailoverApp> {
  const app = express();
  app.use(sessionMiddleware({ store, key: Key.generate(), cookie: { name: 'id', contentSecurity: 'signed' } }));
  const view = (req: express.Request) => ({ user: req.session.get<string>('user') ?? null, counter: req.session.get<number>('counter') ?? 0 });
  app.post('/login', (req, res) => {
    req.session.insert('user', String(req.query.user));
    req.session.renew();
    res.json(view(req));
  });
  app.post('/inc', (req, res) => {
    req.session.updateOr('counter', 1, (n: number) => n + 1);
    res.json(view(req));
  });
  app.get('/', (req, res) => {
    res.json(view(req));
  });
  app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).type('text').send(OPAQUE_500);
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** One request of the steady traffic. */
export interface Sample {
  /** `performance.now()` when it was sent and when it was answered (or given up on). */
  start: number;
  end: number;
  /** The status, or `'hung'` (no answer within the client's timeout), or `'network'` (connection failed). */
  outcome: number | 'hung' | 'network';
  body: string;
}

/** What {@link runTraffic} saw. */
export interface TrafficReport {
  samples: Sample[];
  /** ms from `failedAt` until the first request of an unbroken run of successes to the end. */
  recoveryMs: number;
  /** Requests answered 500 (the opaque answer of a store failure). */
  errors: number;
  /** Requests not answered within the client's timeout, or whose connection failed. */
  hung: number;
  /** Answers that were neither 200 nor an opaque 500 (a 500 whose body names Redis, say). */
  unexpected: Sample[];
}

/**
 * Steady traffic: `users` visitors, each with a session of its own, each sending `POST /inc`
 * back to back (a read and a compare-and-update per request) until `stop()`. A request not
 * answered within `timeoutMs` counts as hung.
 */
export function runTraffic(
  url: string,
  users: number,
  timeoutMs: number,
): { settled(quietMs: number, timeoutMs: number): Promise<void>; stop(failedAt: number): Promise<TrafficReport> } {
  const samples: Sample[] = [];
  let running = true;
  const visitor = async (): Promise<void> => {
    let cookie: string | undefined;
    while (running) {
      const start = performance.now();
      let outcome: Sample['outcome'];
      let body = '';
      try {
        const reply: HttpResponse = await withTimeout(send(`${url}/inc`, { method: 'POST', cookie }), timeoutMs);
        outcome = reply.status;
        body = reply.body;
        cookie = sessionCookie(reply, 'id') ?? cookie;
      } catch (error) {
        outcome = error === HUNG ? 'hung' : 'network';
        // Give a refused connection a moment instead of spinning.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      samples.push({ start, end: performance.now(), outcome, body });
    }
  };
  const visitors = Array.from({ length: users }, visitor);
  return {
    // Resolves once every request answered in the last `quietMs` (at least one per visitor) was a 200.
    async settled(quietMs, waitMs) {
      const deadline = performance.now() + waitMs;
      for (;;) {
        const now = performance.now();
        const recent = samples.filter((sample) => sample.end > now - quietMs);
        if (recent.length >= users && recent.every((sample) => sample.outcome === 200)) return;
        if (now > deadline) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(failedAt) {
      running = false;
      await Promise.all(visitors);
      samples.sort((a, b) => a.start - b.start);
      let lastFailure = -1;
      samples.forEach((sample, i) => {
        if (sample.outcome !== 200) lastFailure = i;
      });
      const firstGood = samples[lastFailure + 1];
      return {
        samples,
        recoveryMs: lastFailure === -1 ? 0 : firstGood === undefined ? Number.POSITIVE_INFINITY : Math.max(0, firstGood.start - failedAt),
        errors: samples.filter((sample) => sample.outcome === 500).length,
        hung: samples.filter((sample) => sample.outcome === 'hung' || sample.outcome === 'network').length,
        unexpected: samples.filter((sample) => sample.outcome !== 200 && !(sample.outcome === 500 && sample.body === OPAQUE_500)),
      };
    },
  };
}

/** The whole body of the app's answer to a failure: nothing about Redis, no stack. */
const OPAQUE_500 = 'Internal Server Error';

const HUNG = Symbol('hung');

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(HUNG), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Logs in `count` users (`POST /login?user=<label>-<i>`) and returns their cookies and names. */
export async function logIn(url: string, label: string, count: number): Promise<{ user: string; cookie: string }[]> {
  const users = [];
  for (let i = 0; i < count; i++) {
    const user = `${label}-${i}`;
    const reply = await send(`${url}/login?user=${user}`, { method: 'POST' });
    const cookie = sessionCookie(reply, 'id');
    if (reply.status !== 200 || cookie === undefined) throw new Error(`Login of ${user} answered ${reply.status}`);
    users.push({ user, cookie });
  }
  return users;
}

/**
 * Waits until a request that writes a session (`POST /inc`) succeeds: a store that owns its
 * connection connects on first use, and on a busy host a sentinel client's first discovery can
 * outlast one call's deadline (those first requests get the opaque 500; the discovery goes on).
 */
export async function warmUp(url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while ((await send(`${url}/inc`, { method: 'POST' })).status !== 200) {
    if (performance.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
