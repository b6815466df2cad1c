import { createApp } from '@sess/example-hono/src/app.js';
import { CookieSessionStore, Key, MemorySessionStore } from '@sess/hono';
import { Hono } from 'hono';
import { getRuntimeKey } from 'hono/adapter';

/**
 * The app every runtime serves in the runtime test: the Hono demo (`examples/hono`'s
 * `createApp`: counter, login that renews, logout that purges) mounted three times:
 *
 * - `/cookie`: `CookieSessionStore`, encrypted cookies (`private`). The state travels in the
 *   cookie, so a cookie sealed on one runtime opens on any other that has the same key.
 * - `/signed`: `CookieSessionStore`, signed cookies (`signed`): the same, with HMAC-SHA256
 *   instead of AES-256-GCM, so both sealing modes are checked across runtimes.
 * - `/memory`: `MemorySessionStore`, signed cookies (`signed`). The state stays in this process
 *   (one isolate for workerd), so a renewed or purged session's old cookie opens nothing.
 *
 * Every response carries `X-Runtime`, Hono's own detection of the runtime (`node`, `bun`,
 * `deno`, `workerd`), so the test knows which runtime really answered. Web APIs only: this
 * module is bundled for all four runtimes, and for workerd without `nodejs_compat`.
 *
 * @param sessionKeyBase64 base64 of at least 64 secret bytes; the same on every runtime
 * @returns the Hono app; hand its `fetch` to the runtime's server
 *
 * @example
 * ```ts
 * Deno.serve({ port: 3000 }, createPortableApp(Deno.env.get('SESSION_KEY')!).fetch)
 * ```
 */
export function createPortableApp(sessionKeyBase64: string): Hono {
  const key = Key.from(decodeBase64(sessionKeyBase64));
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    c.header('X-Runtime', getRuntimeKey());
  });
  // Each mount scopes its cookie to its own path, so a browser keeps the two sessions apart.
  app.route('/cookie', createApp({ store: new CookieSessionStore(), key, cookie: { path: '/cookie' } }));
  app.route(
    '/signed',
    createApp({ store: new CookieSessionStore(), key, cookie: { path: '/signed', contentSecurity: 'signed' } }),
  );
  app.route(
    '/memory',
    createApp({ store: new MemorySessionStore(), key, cookie: { path: '/memory', contentSecurity: 'signed' } }),
  );
  return app;
}

/**
 * Standard base64 to bytes with `atob`, which every runtime has (Node ≥ 16 included), so no
 * `Buffer` is needed.
 *
 * @example
 * ```ts
 * Key.from(decodeBase64(env.SESSION_KEY))
 * ```
 */
export function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text.trim()), (char) => char.charCodeAt(0));
}
