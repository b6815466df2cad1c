import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionManager, Key, type Session, type SessionManager, type SessionStore } from '@sess/core';

/** The session cookie's name in every app these tests start. */
export const COOKIE = 'id';

/** A running test app. */
export interface SessionApp {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly manager: SessionManager;
  /** Store failures the app answered with a 500, in order. */
  readonly failures: unknown[];
  close(): Promise<void>;
}

/** Options of {@link startSessionApp}. */
export interface SessionAppOptions {
  store: SessionStore;
  /** Runs inside `POST /slow` after the session was loaded and before it is written. */
  beforeSlowWrite?: () => Promise<void>;
}

/**
 * A minimal app on bare `node:http` and `createSessionManager`, wired like
 * `examples/node-http`: load before the handler (a store failure answers an empty 500 without
 * running it), commit before the response head (a failure replaces the response with an empty 500).
 * Cookies are `signed`, so a test can read the session key out of them.
 *
 * Routes: `GET /` reads the session; `POST /noop` touches nothing; `POST /inc` counts;
 * `POST /login?user=…` logs in and renews; `POST /logout` purges; `POST /slow` loads, waits
 * for `beforeSlowWrite`, then writes.
 */
export async function startSessionApp(options: SessionAppOptions): Promise<SessionApp> {
  const manager = createSessionManager({
    store: options.store,
    key: Key.generate(),
    cookie: { name: COOKIE, contentSecurity: 'signed' },
  });
  const failures: unknown[] = [];
  const server = createServer(async (req, res) => {
    let rs;
    try {
      rs = await manager.load(req.headers.cookie);
    } catch (error) {
      failures.push(error);
      res.writeHead(500).end();
      return;
    }
    const reply = await handle(req, rs.session, options);
    try {
      const cookies = await manager.commit(rs, { status: reply.status });
      if (cookies.length > 0) res.setHeader('Set-Cookie', cookies);
    } catch (error) {
      failures.push(error);
      res.writeHead(500).end();
      return;
    }
    res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    manager,
    failures,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

interface Reply {
  status: number;
  body: unknown;
}

async function handle(req: IncomingMessage, session: Session, options: SessionAppOptions): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const view = (): Reply => ({
    status: 200,
    body: { user: session.get<string>('user') ?? null, counter: session.get<number>('counter') ?? 0 },
  });
  switch (`${req.method} ${url.pathname}`) {
    case 'GET /':
    case 'POST /noop':
      return view();
    case 'POST /inc':
      session.insert('counter', (session.get<number>('counter') ?? 0) + 1);
      return view();
    case 'POST /login':
      session.insert('user', url.searchParams.get('user') ?? 'anonymous');
      session.renew();
      return view();
    case 'POST /logout':
      session.purge();
      return { status: 200, body: 'logged out' };
    case 'POST /slow':
      await options.beforeSlowWrite?.();
      session.insert('visited', true);
      return view();
    default:
      return { status: 404, body: 'not found' };
  }
}
