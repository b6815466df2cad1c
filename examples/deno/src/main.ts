// The @sess demo on Deno: examples/hono's app (Web APIs only) served by Deno.serve.
import { createApp } from '@sess/example-hono/src/app.js';
import { CookieSessionStore, Key } from '@sess/hono';

// The members of Deno's global used here (tsc checks this file without Deno's own types).
declare const Deno: {
  readonly version: { readonly deno: string };
  readonly env: { get(name: string): string | undefined };
  serve(
    options: { port: number; onListen?: (address: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
};

// A persistent key keeps sessions valid across restarts:
// SESSION_KEY=$(node -p "require('crypto').randomBytes(64).toString('base64')")
const secret = Deno.env.get('SESSION_KEY');
const key = secret ? Key.fromBase64(secret) : Key.generate();
const port = Number(Deno.env.get('PORT') ?? 3000);

Deno.serve(
  {
    port,
    onListen: () => {
      console.log(`@sess Hono example on Deno ${Deno.version.deno}: http://localhost:${port} (cookie store)`);
      if (!secret) console.log('(SESSION_KEY is not set: using a random key, sessions end on restart)');
    },
  },
  createApp({ store: new CookieSessionStore(), key }, '@sess on Hono (Deno)').fetch,
);
