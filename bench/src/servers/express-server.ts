/**
 * The Express contenders, one per process: `node --import tsx express-server.ts <contender>`.
 * Every contender has the same app and routes; only the session middleware differs.
 */
import { createServer } from 'node:http';
import { CookieSessionStore, Key, sessionMiddleware, type ContentSecurity } from '@sess/express';
import { PostgresSessionStore } from '@sess/postgres';
import { RedisSessionStore } from '@sess/redis';
import express, { type Request, type RequestHandler } from 'express';
import pg from 'pg';
import { createClient } from 'redis';
import { ConnectPgSimpleStore, ConnectRedisStore, cookieSession, expressSession, peerSession } from './express-peers.js';
import { serveContender, type ContenderServer } from './serve-contender.js';
import {
  COUNTER,
  counterOf,
  databaseUrl,
  PEER_SECRET,
  redisUrl,
  SESSION_TTL_SECONDS,
  UnknownContenderError,
} from './server-settings.js';

interface ExpressContender {
  readonly middleware: readonly RequestHandler[];
  read(req: Request): number;
  write(req: Request): number;
  /** `POST /count`: one increment that concurrent requests must not lose (@sess: `updateOr`). */
  count?(req: Request): number;
  close?(): Promise<void>;
}

const bare: ExpressContender = { middleware: [], read: () => 0, write: () => 1 };

// A middleware that does nothing, in Express' own shape: what any middleware costs at least.
const noop: ExpressContender = { ...bare, middleware: [(_req, _res, next) => next()] };

function sess(middleware: RequestHandler, close?: () => Promise<void>): ExpressContender {
  return {
    middleware: [middleware],
    read: (req) => req.session.get<number>(COUNTER) ?? 0,
    write: (req) => {
      const next = (req.session.get<number>(COUNTER) ?? 0) + 1;
      req.session.insert(COUNTER, next);
      return next;
    },
    count: (req) => {
      req.session.updateOr<number>(COUNTER, 1, (n) => n + 1);
      return req.session.get<number>(COUNTER) ?? 0;
    },
    ...(close === undefined ? {} : { close }),
  };
}

function sessCookie(contentSecurity: ContentSecurity): ExpressContender {
  return sess(sessionMiddleware({ store: new CookieSessionStore(), key: Key.generate(), cookie: { contentSecurity } }));
}

function peer(middleware: RequestHandler, close?: () => Promise<void>): ExpressContender {
  return {
    middleware: [middleware],
    read: (req) => counterOf(peerSession(req).counter),
    write: (req) => {
      const session = peerSession(req);
      const next = counterOf(session.counter) + 1;
      session.counter = next;
      return next;
    },
    ...(close === undefined ? {} : { close }),
  };
}

// express-session as its README recommends: no resave, no empty sessions saved. `secure` is off
// because the load runs over plain HTTP, where express-session refuses to issue a Secure cookie.
const expressSessionOptions = {
  secret: PEER_SECRET,
  resave: false,
  saveUninitialized: false,
  cookie: { secure: false, httpOnly: true, sameSite: 'lax' },
} as const;

async function build(name: string): Promise<ExpressContender> {
  switch (name) {
    case 'bare':
      return bare;
    case 'noop':
      return noop;
    case 'sess-cookie-private':
      return sessCookie('private');
    case 'sess-cookie-signed':
      return sessCookie('signed');
    case 'sess-redis': {
      const store = new RedisSessionStore({ url: redisUrl(), keyPrefix: 'bench:sess:express:' });
      return sess(sessionMiddleware({ store, key: Key.generate() }), () => store.close());
    }
    case 'express-session-memory':
      return peer(expressSession(expressSessionOptions));
    case 'express-session-redis': {
      const client = createClient({ url: redisUrl() });
      client.on('error', () => {
        // A lost connection fails requests (the sanity pass and error counts show it); nothing to log here.
      });
      await client.connect();
      const store = new ConnectRedisStore({ client, prefix: 'bench:express-session:', ttl: SESSION_TTL_SECONDS });
      return peer(expressSession({ ...expressSessionOptions, store }), async () => void (await client.close()));
    }
    case 'sess-postgres': {
      const pool = benchPool();
      const table = `bench_sess_${process.pid}`;
      const store = new PostgresSessionStore({ pool, tableName: table });
      await store.createSchema();
      return sess(sessionMiddleware({ store, key: Key.generate() }), () => dropAndEnd(pool, table, () => store.close()));
    }
    case 'express-session-pg': {
      const pool = benchPool();
      const table = `bench_pg_simple_${process.pid}`;
      const store = new ConnectPgSimpleStore({ pool, tableName: table, createTableIfMissing: true, ttl: SESSION_TTL_SECONDS });
      return peer(expressSession({ ...expressSessionOptions, store }), () => dropAndEnd(pool, table));
    }
    case 'cookie-session':
      // Signed (not encrypted) cookie, its only mode; Secure off for plain HTTP as above.
      return peer(cookieSession({ name: 'session', keys: [PEER_SECRET], httpOnly: true, secure: false, sameSite: 'lax' }));
    default:
      throw new UnknownContenderError('express', name);
  }
}

/** A pool on the bench database, as an app would configure it. */
function benchPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl(), connectionTimeoutMillis: 2000 });
  pool.on('error', () => {
    // A lost connection fails requests (the sanity pass and error counts show it); nothing to log here.
  });
  return pool;
}

/** Drops this process's table, then ends its pool. */
async function dropAndEnd(pool: pg.Pool, table: string, before?: () => Promise<void>): Promise<void> {
  await before?.();
  await pool.query(`DROP TABLE IF EXISTS "${table}"`);
  await pool.end();
}

await serveContender('express', async (name): Promise<ContenderServer> => {
  const contender = await build(name);
  const app = express();
  for (const middleware of contender.middleware) app.use(middleware);
  app.get('/plain', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/read', (req, res) => {
    res.json({ [COUNTER]: contender.read(req) });
  });
  app.post('/write', (req, res) => {
    res.json({ [COUNTER]: contender.write(req) });
  });
  app.post('/count', (req, res) => {
    res.json({ [COUNTER]: (contender.count ?? contender.write)(req) });
  });
  return { server: createServer(app), ...(contender.close === undefined ? {} : { close: contender.close }) };
});
