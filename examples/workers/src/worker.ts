// The @sess demo as a Cloudflare Worker: examples/hono's app (Web APIs only) in an ES module
// worker. Served locally by workerd (config.capnp); no nodejs_compat flag is needed.
import { createApp } from '@sess/example-hono/src/app.js';
import { CookieSessionStore, Key } from '@sess/hono';

/** The worker's bindings: config.capnp here, `wrangler secret put SESSION_KEY` on Cloudflare. */
interface Env {
  /** base64 of 64+ secret bytes; null or absent when the binding is not set. */
  readonly SESSION_KEY?: string | null;
}

// One app per isolate, built on the first request: bindings only exist in a request, and
// workerd forbids generating random values (Key.generate) at global scope.
let app: ReturnType<typeof createApp> | undefined;

export default {
  fetch(request: Request, env: Env): Response | Promise<Response> {
    app ??= createWorkerApp(env);
    return app.fetch(request, env);
  },
};

function createWorkerApp(env: Env): ReturnType<typeof createApp> {
  const secret = env.SESSION_KEY;
  // Without a key, each isolate would seal with its own random key: fine for a local demo only.
  if (!secret) console.log('(SESSION_KEY is not set: using a random key, sessions end on restart)');
  const key = secret ? Key.fromBase64(secret) : Key.generate();
  return createApp({ store: new CookieSessionStore(), key }, '@sess on Hono (Cloudflare Workers)');
}
