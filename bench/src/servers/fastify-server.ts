/**
 * The Fastify contenders, one per process: `node fastify-server.mjs <contender>`.
 * Every contender has the same app and routes; only the session plugin differs.
 */
import { randomBytes } from 'node:crypto';
import { CookieSessionStore, Key, sessionPlugin, type ContentSecurity, type SessionStore } from '@sess/fastify';
import { RedisSessionStore } from '@sess/redis';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { createClient } from 'redis';
import { ConnectRedisStore } from './express-peers.js';
import { fastifyCookie, fastifySecureSession, fastifySession, peerSession, type FastifySessionOptions } from './fastify-peers.js';
import { serveContender, type ContenderServer } from './serve-contender.js';
import { COUNTER, counterOf, PEER_SECRET, redisUrl, SESSION_TTL_SECONDS, UnknownContenderError } from './server-settings.js';

interface FastifyContender {
  install(app: FastifyInstance): Promise<void>;
  read(request: FastifyRequest): number;
  write(request: FastifyRequest): number;
  /** `POST /count`: one increment that concurrent requests must not lose (@sess: `updateOr`). */
  count?(request: FastifyRequest): number;
  close?(): Promise<void>;
}

const bare: FastifyContender = { install: async () => undefined, read: () => 0, write: () => 1 };
// The least any plugin costs: one `onRequest` hook that does nothing (the shape @sess's load takes).
const noop: FastifyContender = {
  ...bare,
  install: async (app) => void app.addHook('onRequest', (_request, _reply, done) => done()),
};

function sess(store: SessionStore, contentSecurity: ContentSecurity, close?: () => Promise<void>): FastifyContender {
  return {
    install: async (app) => void (await app.register(sessionPlugin, { store, key: Key.generate(), cookie: { contentSecurity } })),
    read: (request) => request.session.get<number>(COUNTER) ?? 0,
    write: (request) => {
      const next = (request.session.get<number>(COUNTER) ?? 0) + 1;
      request.session.insert(COUNTER, next);
      return next;
    },
    count: (request) => {
      request.session.updateOr<number>(COUNTER, 1, (n) => n + 1);
      return request.session.get<number>(COUNTER) ?? 0;
    },
    ...(close === undefined ? {} : { close }),
  };
}

function peer(install: (app: FastifyInstance) => Promise<void>, close?: () => Promise<void>): FastifyContender {
  return {
    install,
    read: (request) => counterOf(peerSession(request).get(COUNTER)),
    write: (request) => {
      const session = peerSession(request);
      const next = counterOf(session.get(COUNTER)) + 1;
      session.set(COUNTER, next);
      return next;
    },
    ...(close === undefined ? {} : { close }),
  };
}

// The peers at their best for this load: no session saved for a visitor who wrote nothing, and
// no cookie re-set on every request (@fastify/session's defaults are `saveUninitialized: true`
// and `rolling: true`). `secure` is off because the load runs over plain HTTP, where
// @fastify/session refuses to issue a Secure cookie.
const cookie = { path: '/', secure: false, httpOnly: true, sameSite: 'lax' } as const;
const fastifySessionOptions: FastifySessionOptions = {
  secret: PEER_SECRET,
  cookieName: 'sessionId',
  saveUninitialized: false,
  rolling: false,
  cookie: { ...cookie, maxAge: SESSION_TTL_SECONDS * 1000 },
};

function fastifySessionContender(store?: object, close?: () => Promise<void>): FastifyContender {
  return peer(async (app) => {
    await app.register(fastifyCookie);
    await app.register(fastifySession, store === undefined ? fastifySessionOptions : { ...fastifySessionOptions, store });
  }, close);
}

async function build(name: string): Promise<FastifyContender> {
  switch (name) {
    case 'bare':
      return bare;
    case 'noop':
      return noop;
    case 'sess-cookie-private':
      return sess(new CookieSessionStore(), 'private');
    case 'sess-cookie-signed':
      return sess(new CookieSessionStore(), 'signed');
    case 'sess-redis': {
      const store = new RedisSessionStore({ url: redisUrl(), keyPrefix: 'bench:sess:fastify:' });
      return sess(store, 'private', () => store.close());
    }
    case 'fastify-session-memory':
      return fastifySessionContender();
    case 'fastify-session-redis': {
      const client = createClient({ url: redisUrl() });
      client.on('error', () => {
        // A lost connection fails requests (the sanity pass and error counts show it); nothing to log here.
      });
      await client.connect();
      const store = new ConnectRedisStore({ client, prefix: 'bench:fastify-session:', ttl: SESSION_TTL_SECONDS });
      return fastifySessionContender(store, async () => void (await client.close()));
    }
    case 'fastify-secure-session':
      // libsodium's secretbox (XSalsa20-Poly1305) in the cookie; a fresh 32-byte key per process.
      return peer(async (app) => {
        await app.register(fastifySecureSession, { key: randomBytes(32), cookieName: 'session', expiry: SESSION_TTL_SECONDS, cookie });
      });
    default:
      throw new UnknownContenderError('fastify', name);
  }
}

await serveContender('fastify', async (name): Promise<ContenderServer> => {
  const contender = await build(name);
  const app = Fastify();
  await contender.install(app);
  app.get('/plain', async () => ({ ok: true }));
  app.get('/read', async (request) => ({ [COUNTER]: contender.read(request) }));
  app.post('/write', async (request) => ({ [COUNTER]: contender.write(request) }));
  app.post('/count', async (request) => ({ [COUNTER]: (contender.count ?? contender.write)(request) }));
  // Fastify routes requests from the server it created; `ready` loads the plugins first.
  await app.ready();
  return { server: app.server, ...(contender.close === undefined ? {} : { close: contender.close }) };
});
