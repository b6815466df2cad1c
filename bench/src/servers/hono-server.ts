/**
 * The Hono contenders, one per process: `node --import tsx hono-server.ts <contender>`.
 * Every contender has the same app and routes; only the session handling differs.
 */
import { createAdaptorServer } from '@hono/node-server';
import { CookieSessionStore, Key, sessionMiddleware, type ContentSecurity, type SessionVariables } from '@sess/hono';
import { RedisSessionStore } from '@sess/redis';
import { Hono, type Context, type Env } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import {
  CookieStore as HonoSessionsCookieStore,
  sessionMiddleware as honoSessions,
  type Session as HonoSessionsSession,
} from 'hono-sessions';
import { getIronSession } from 'iron-session';
import type { Server } from 'node:net';
import { serveContender, type ContenderServer } from './serve-contender.js';
import { COUNTER, counterOf, PEER_SECRET, redisUrl, SESSION_TTL_SECONDS, UnknownContenderError } from './server-settings.js';

type Counter = (c: Context) => number | Promise<number>;

/**
 * The same routes as everywhere, on an app that already has its session middleware; `count`
 * (`POST /count`, an increment concurrent requests must not lose) is `write` unless given.
 */
function withRoutes<E extends Env>(
  app: Hono<E>,
  read: (c: Context<E>) => number | Promise<number>,
  write: typeof read,
  count: typeof read = write,
): Hono<E> {
  app.get('/plain', (c) => c.json({ ok: true }));
  app.get('/read', async (c) => c.json({ [COUNTER]: await read(c) }));
  app.post('/write', async (c) => c.json({ [COUNTER]: await write(c) }));
  app.post('/count', async (c) => c.json({ [COUNTER]: await count(c) }));
  return app;
}

function sess(contentSecurity: ContentSecurity, store: CookieSessionStore | RedisSessionStore): Hono {
  const app = new Hono<{ Variables: SessionVariables }>();
  app.use(sessionMiddleware({ store, key: Key.generate(), cookie: { contentSecurity } }));
  return withRoutes(
    app,
    (c) => c.get('session').get<number>(COUNTER) ?? 0,
    (c) => {
      const session = c.get('session');
      const next = (session.get<number>(COUNTER) ?? 0) + 1;
      session.insert(COUNTER, next);
      return next;
    },
    (c) => {
      const session = c.get('session');
      session.updateOr<number>(COUNTER, 1, (n) => n + 1);
      return session.get<number>(COUNTER) ?? 0;
    },
  ) as unknown as Hono;
}

/**
 * hono-sessions with its encrypted `CookieStore`, configured as its README shows (expiry after
 * inactivity, SameSite Lax, HttpOnly). By design it re-seals the cookie on every request, to
 * record the access time.
 */
function honoSessionsApp(): Hono {
  const app = new Hono<{ Variables: { session: HonoSessionsSession<{ counter: number }>; session_key_rotation: boolean } }>();
  app.use(
    honoSessions({
      store: new HonoSessionsCookieStore(),
      encryptionKey: PEER_SECRET,
      expireAfterSeconds: SESSION_TTL_SECONDS,
      cookieOptions: { sameSite: 'Lax', path: '/', httpOnly: true },
    }),
  );
  return withRoutes(
    app,
    (c) => counterOf(c.get('session').get(COUNTER)),
    (c) => {
      const session = c.get('session');
      const next = counterOf(session.get(COUNTER)) + 1;
      session.set(COUNTER, next);
      return next;
    },
  ) as unknown as Hono;
}

/** iron-session's cookie-store overload on top of Hono's cookie helpers. */
function ironCookies(c: Context) {
  return {
    get(name: string) {
      const value = getCookie(c, name);
      return value === undefined ? undefined : { name, value };
    },
    set(nameOrCookie: string | { name: string; value: string }, value?: string, options?: IronCookieOptions) {
      const name = typeof nameOrCookie === 'string' ? nameOrCookie : nameOrCookie.name;
      const cookieValue = typeof nameOrCookie === 'string' ? (value ?? '') : nameOrCookie.value;
      const attributes = typeof nameOrCookie === 'string' ? (options ?? {}) : (nameOrCookie as IronCookieOptions);
      setCookie(c, name, cookieValue, {
        ...(attributes.path === undefined ? {} : { path: attributes.path }),
        ...(attributes.domain === undefined ? {} : { domain: attributes.domain }),
        ...(attributes.httpOnly === undefined ? {} : { httpOnly: attributes.httpOnly }),
        ...(attributes.secure === undefined ? {} : { secure: attributes.secure }),
        ...(typeof attributes.maxAge === 'number' ? { maxAge: attributes.maxAge } : {}),
        ...(typeof attributes.sameSite === 'string' ? { sameSite: sameSiteOf(attributes.sameSite) } : {}),
      });
    },
  };
}

interface IronCookieOptions {
  readonly path?: string;
  readonly domain?: string;
  readonly httpOnly?: boolean;
  readonly secure?: boolean;
  readonly maxAge?: number;
  readonly sameSite?: unknown;
}

function sameSiteOf(value: string): 'Strict' | 'Lax' | 'None' {
  const lower = value.toLowerCase();
  return lower === 'strict' ? 'Strict' : lower === 'none' ? 'None' : 'Lax';
}

/**
 * iron-session with its defaults (sealed cookie, HttpOnly, Secure, SameSite Lax) and a one-day
 * TTL, called in the handlers that use the session, as its README does: `/plain` never loads it.
 */
const ironOptions = { cookieName: 'iron', password: PEER_SECRET, ttl: SESSION_TTL_SECONDS };

function ironSessionApp(): Hono {
  const read: Counter = async (c) => counterOf((await getIronSession<{ counter?: number }>(ironCookies(c), ironOptions)).counter);
  const write: Counter = async (c) => {
    const session = await getIronSession<{ counter?: number }>(ironCookies(c), ironOptions);
    session.counter = counterOf(session.counter) + 1;
    await session.save();
    return session.counter;
  };
  return withRoutes(new Hono(), read, write);
}

function build(name: string): { app: Hono; close?: () => Promise<void> } {
  switch (name) {
    case 'bare':
      return { app: withRoutes(new Hono(), () => 0, () => 1) };
    case 'noop': {
      // A middleware that does nothing, in Hono's own shape: what any middleware costs at least.
      const app = new Hono();
      app.use(async (_c, next) => next());
      return { app: withRoutes(app, () => 0, () => 1) };
    }
    case 'sess-cookie-private':
      return { app: sess('private', new CookieSessionStore()) };
    case 'sess-cookie-signed':
      return { app: sess('signed', new CookieSessionStore()) };
    case 'sess-redis': {
      const store = new RedisSessionStore({ url: redisUrl(), keyPrefix: 'bench:sess:hono:' });
      return { app: sess('private', store), close: () => store.close() };
    }
    case 'hono-sessions':
      return { app: honoSessionsApp() };
    case 'iron-session':
      return { app: ironSessionApp() };
    default:
      throw new UnknownContenderError('hono', name);
  }
}

await serveContender('hono', async (name): Promise<ContenderServer> => {
  const { app, close } = build(name);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  return { server, ...(close === undefined ? {} : { close }) };
});
