// The @sess demo on Bun: examples/hono's app (Web APIs only) served by Bun.serve, no build step.
import { createApp } from '@sess/example-hono/src/app.js';
import { CookieSessionStore, Key } from '@sess/hono';

// The members of Bun's global used here, declared rather than installing bun-types for three lines.
declare const Bun: {
  readonly version: string;
  readonly env: Record<string, string | undefined>;
  serve(options: { port: number; fetch: (request: Request) => Response | Promise<Response> }): unknown;
};

// A persistent key keeps sessions valid across restarts:
// SESSION_KEY=$(node -p "require('crypto').randomBytes(64).toString('base64')")
const secret = Bun.env.SESSION_KEY;
const key = secret ? Key.fromBase64(secret) : Key.generate();
const port = Number(Bun.env.PORT ?? 3000);

Bun.serve({ port, fetch: createApp({ store: new CookieSessionStore(), key }, '@sess on Hono (Bun)').fetch });
console.log(`@sess Hono example on Bun ${Bun.version}: http://localhost:${port} (cookie store)`);
if (!secret) console.log('(SESSION_KEY is not set: using a random key, sessions end on restart)');
