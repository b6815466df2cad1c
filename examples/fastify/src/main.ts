import { CookieSessionStore, Key, type SessionStore } from '@sess/fastify';
import { RedisSessionStore } from '@sess/redis';
import { createApp } from './app.js';

// A persistent key keeps sessions valid across restarts: SESSION_KEY=$(openssl rand -base64 64)
const key = process.env.SESSION_KEY ? Key.from(Buffer.from(process.env.SESSION_KEY, 'base64')) : Key.generate();
const redis = process.env.REDIS_URL
  ? new RedisSessionStore({ url: process.env.REDIS_URL, keyPrefix: 'session:', onError: (error) => console.error('redis:', error.message) })
  : undefined;
const store: SessionStore = redis ?? new CookieSessionStore();
const port = Number(process.env.PORT ?? 3000);

const app = createApp({ store, key });
// Fastify closes the server first, then runs onClose hooks: the store outlives every request.
app.addHook('onClose', async () => redis?.close());
await app.listen({ port });
console.log(`@sess Fastify example on http://localhost:${port} (${redis ? 'Redis' : 'cookie'} store)`);
if (!process.env.SESSION_KEY) console.log('(SESSION_KEY is not set: using a random key, sessions end on restart)');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close());
}
