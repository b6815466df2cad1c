/**
 * The Koa contenders, one per process: `node --import tsx koa-server.ts <contender>`.
 * Every contender has the same app and routes; only the session middleware differs.
 */
import { createServer } from 'node:http';
import { CookieSessionStore, Key, sessionMiddleware, type ContentSecurity } from '@sess/koa';
import { RedisSessionStore } from '@sess/redis';
import Koa, { type Context, type Middleware } from 'koa';
import koaSession from 'koa-session';
import { createKoaRedisStore, type KoaSessionExternalStore } from './koa-redis-store.js';
import { serveContender, type ContenderServer } from './serve-contender.js';
import {
  COUNTER,
  counterOf,
  PEER_SECRET,
  redisUrl,
  SESSION_TTL_SECONDS,
  UnknownContenderError,
} from './server-settings.js';

interface KoaContender {
  /** Registers the session middleware (koa-session needs the app itself). */
  install(app: Koa): void;
  read(ctx: Context): number;
  write(ctx: Context): number;
  /** `POST /count`: one increment that concurrent requests must not lose (@sess: `updateOr`). */
  count?(ctx: Context): number;
  close?(): Promise<void>;
}

const bare: KoaContender = { install: () => undefined, read: () => 0, write: () => 1 };

// A middleware that does nothing, in Koa's own shape: what any middleware costs at least.
const noop: KoaContender = { ...bare, install: (app) => void app.use(async (_ctx, next) => next()) };

function sess(middleware: Middleware, close?: () => Promise<void>): KoaContender {
  return {
    install: (app) => void app.use(middleware),
    read: (ctx) => ctx.session.get<number>(COUNTER) ?? 0,
    write: (ctx) => {
      const next = (ctx.session.get<number>(COUNTER) ?? 0) + 1;
      ctx.session.insert(COUNTER, next);
      return next;
    },
    count: (ctx) => {
      ctx.session.updateOr<number>(COUNTER, 1, (n) => n + 1);
      return ctx.session.get<number>(COUNTER) ?? 0;
    },
    ...(close === undefined ? {} : { close }),
  };
}

function sessCookie(contentSecurity: ContentSecurity): KoaContender {
  return sess(sessionMiddleware({ store: new CookieSessionStore(), key: Key.generate(), cookie: { contentSecurity } }));
}

/** koa-session's `ctx.session` (@sess/koa types `ctx.session` as its own, hence the cast). */
function koaSessionOf(ctx: Context): Record<string, unknown> {
  return ctx.session as unknown as Record<string, unknown>;
}

/**
 * koa-session as its README shows it: `app.keys` sign the cookie (`signed: true`), a one-day
 * `maxAge`, `secure` left to koa (on only over HTTPS, so the cookie is issued over plain HTTP).
 * Without `store` the session is base64 JSON in the cookie, signed but not encrypted.
 */
function koaSessionContender(store?: KoaSessionExternalStore, close?: () => Promise<void>): KoaContender {
  return {
    install: (app) => {
      app.keys = [PEER_SECRET];
      app.use(
        koaSession(
          {
            key: 'koa.sess',
            maxAge: SESSION_TTL_SECONDS * 1000,
            httpOnly: true,
            signed: true,
            sameSite: 'lax',
            ...(store === undefined ? {} : { store }),
          },
          app,
        ),
      );
    },
    read: (ctx) => counterOf(koaSessionOf(ctx)[COUNTER]),
    write: (ctx) => {
      const session = koaSessionOf(ctx);
      const next = counterOf(session[COUNTER]) + 1;
      session[COUNTER] = next;
      return next;
    },
    ...(close === undefined ? {} : { close }),
  };
}

async function build(name: string): Promise<KoaContender> {
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
      const store = new RedisSessionStore({ url: redisUrl(), keyPrefix: 'bench:sess:koa:' });
      return sess(sessionMiddleware({ store, key: Key.generate() }), () => store.close());
    }
    case 'koa-session-cookie':
      return koaSessionContender();
    case 'koa-session-redis': {
      const { store, close } = await createKoaRedisStore(redisUrl(), 'bench:koa-session:');
      return koaSessionContender(store, close);
    }
    default:
      throw new UnknownContenderError('koa', name);
  }
}

await serveContender('koa', async (name): Promise<ContenderServer> => {
  const contender = await build(name);
  const app = new Koa();
  contender.install(app);
  // The same three routes as everywhere, without a router package (none of the contenders needs one).
  app.use((ctx) => {
    if (ctx.method === 'GET' && ctx.path === '/plain') ctx.body = { ok: true };
    else if (ctx.method === 'GET' && ctx.path === '/read') ctx.body = { [COUNTER]: contender.read(ctx) };
    else if (ctx.method === 'POST' && ctx.path === '/write') ctx.body = { [COUNTER]: contender.write(ctx) };
    else if (ctx.method === 'POST' && ctx.path === '/count') ctx.body = { [COUNTER]: (contender.count ?? contender.write)(ctx) };
    else ctx.status = 404;
  });
  return { server: createServer(app.callback()), ...(contender.close === undefined ? {} : { close: contender.close }) };
});
