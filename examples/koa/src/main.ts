import { CookieSessionStore, Key, type SessionEvent, type SessionStore } from '@sess/koa';
import { RedisSessionStore } from '@sess/redis';
import { createApp } from './app.js';

// A persistent key keeps sessions valid across restarts:
// SESSION_KEY=$(node -p "require('crypto').randomBytes(64).toString('base64')")
const key = process.env.SESSION_KEY ? Key.fromBase64(process.env.SESSION_KEY) : Key.generate();
const redis = process.env.REDIS_URL
  ? new RedisSessionStore({ url: process.env.REDIS_URL, keyPrefix: 'session:', onError: (error) => console.error('redis:', error.message) })
  : undefined;
const store: SessionStore = redis ?? new CookieSessionStore();
const port = Number(process.env.PORT ?? 3000);

// A listen error (a port in use) is an 'error' event of the server, not an exception.
const server = createApp({ store, key, onEvent: warnOnce() }).listen(port, () => {
  console.log(`@sess Koa example on http://localhost:${port} (${redis ? 'Redis' : 'cookie'} store)`);
  if (!process.env.SESSION_KEY) console.log('(SESSION_KEY is not set: using a random key, sessions end on restart)');
});
server.once('error', cannotListen);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void redis?.close();
  });
}

/** Ends the process with a non-zero exit: a demo that cannot listen must not look started. */
function cannotListen(error: NodeJS.ErrnoException): never {
  const inUse = error.code === 'EADDRINUSE';
  console.error(`@sess Koa example: cannot listen on port ${port}: ${inUse ? 'the port is in use, start with PORT=<another port>' : error.message}`);
  process.exit(1);
}

/** Says once why sessions do not stick when the demo is opened over plain HTTP from another host. */
function warnOnce(): (event: SessionEvent) => void {
  let warned = false;
  return (event) => {
    if (event.type !== 'secure-cookie-over-http' || warned) return;
    warned = true;
    console.warn(
      `warning: the session cookie is Secure, and ${event.host} was reached over plain HTTP: browsers drop it, so sessions will not stick. ` +
        'Open http://localhost:' + port + ', serve over HTTPS, or set cookie: { secure: false } for plain-HTTP testing.',
    );
  };
}
