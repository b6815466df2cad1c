import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { sessionMiddleware, type SessionOptions } from '@sess/express';

/** A running Express app on a loopback port. */
export interface ExpressApp {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Errors that reached Express' error handling (store failures, as the adapter hands them on). */
  readonly errors: unknown[];
  close(): Promise<void>;
}

/**
 * An Express 5 app on `@sess/express` with the options given (a `PostgresSessionStore` in these
 * tests). Errors go to Express' own default handler, so a test sees what a real app would show.
 *
 * Routes: `POST /login?user=…` renews, sets the owner (details: the user agent) and `n = 0`;
 * `POST /inc` counts with `updateOr('n', 0, n => n + 1)`; `GET /me`; `GET /poll` (not activity);
 * `GET /sessions` lists the owner's sessions; `POST /revoke/:id`; `POST /revoke-others`;
 * `POST /logout`.
 */
export async function startExpressApp(options: SessionOptions): Promise<ExpressApp> {
  const app = express();
  const sessions = sessionMiddleware(options);
  const errors: unknown[] = [];
  app.use(sessions);
  app.post('/login', (req, res) => {
    req.session.renew();
    req.session.setOwner(String(req.query.user), { userAgent: req.get('user-agent') ?? 'unknown' });
    req.session.insert('user', String(req.query.user));
    req.session.insert('n', 0);
    res.json({ user: req.query.user });
  });
  app.post('/inc', (req, res) => {
    req.session.updateOr('n', 0, (n: number) => n + 1);
    res.json({ n: req.session.get('n') });
  });
  app.get('/me', (req, res) => {
    res.json({ user: req.session.get('user') ?? null, n: req.session.get('n') ?? null });
  });
  app.get('/poll', (req, res) => {
    req.session.ignoreActivity();
    res.json({ user: req.session.get('user') ?? null });
  });
  app.get('/sessions', async (req, res) => {
    res.json(await sessions.owners.list(req.session));
  });
  app.post('/revoke/:id', async (req, res) => {
    res.json({ revoked: await sessions.owners.revoke(req.session, String(req.params.id)) });
  });
  app.post('/revoke-others', async (req, res) => {
    res.json({ revoked: await sessions.owners.revokeOthers(req.session) });
  });
  app.post('/logout', (req, res) => {
    req.session.purge();
    res.json({});
  });
  // Records what reached Express' error handling, then lets its default handler answer.
  app.use((error: unknown, _req: express.Request, _res: express.Response, next: express.NextFunction) => {
    errors.push(error);
    next(error);
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    errors,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A cookie jar of one `id` cookie, as a browser would keep it. */
export class Browser {
  cookie: string | undefined;

  constructor(
    private readonly base: string,
    private readonly userAgent = 'test-browser',
  ) {}

  /** Sends a request with the cookie; keeps (or clears) the cookie the response sets. */
  async request(method: string, path: string, base = this.base): Promise<{ status: number; body: string; setCookie: string[] }> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (this.cookie !== undefined) headers.cookie = this.cookie;
    const res = await fetch(base + path, { method, headers, redirect: 'manual' });
    const setCookie = res.headers.getSetCookie();
    for (const header of setCookie) {
      const pair = header.split(';')[0] as string;
      if (!pair.startsWith('id=')) continue;
      this.cookie = /Max-Age=0/i.test(header) ? undefined : pair;
    }
    return { status: res.status, body: await res.text(), setCookie };
  }

  /** `request`, parsing a JSON body. */
  async json<T = Record<string, unknown>>(method: string, path: string, base?: string): Promise<T> {
    const { status, body } = await this.request(method, path, base);
    if (status !== 200) throw new Error(`${method} ${path} answered ${status}: ${body}`);
    return JSON.parse(body) as T;
  }
}
