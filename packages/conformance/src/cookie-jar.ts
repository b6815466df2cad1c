import { findCookie, send, type HttpRequest, type HttpResponse } from '@sess/test-harness';

/**
 * One browser's session cookie: sent with every request, replaced when a response sets a new
 * one, dropped when a response removes it (`Max-Age=0`), as a browser does.
 *
 * @example
 * ```ts
 * const jar = cookieJar(server.url)
 * await jar.send('/login', { method: 'POST' })
 * expect(jar.cookie).toBeDefined()
 * ```
 */
export interface CookieJar {
  /** The `name=value` pair sent back, if any. */
  readonly cookie: string | undefined;
  /** Sends a request to `path` with the jar's cookie, and keeps what the response sets. */
  send(path: string, init?: Omit<HttpRequest, 'cookie'>): Promise<HttpResponse>;
  /** GETs `path` and parses the JSON body. */
  json(path: string): Promise<unknown>;
}

/**
 * A {@link CookieJar} for the session cookie `name` (default `id`) against `base`.
 *
 * @example
 * ```ts
 * const phone = cookieJar(server.url)
 * ```
 */
export function cookieJar(base: string, name = 'id'): CookieJar {
  let cookie: string | undefined;
  const jar: CookieJar = {
    get cookie() {
      return cookie;
    },
    async send(path, init = {}) {
      const response = await send(`${base}${path}`, cookie === undefined ? init : { ...init, cookie });
      const set = findCookie(response, name);
      if (set !== undefined) cookie = set.value === '' || set.maxAge === 0 ? undefined : `${set.name}=${set.value}`;
      return response;
    },
    async json(path) {
      return JSON.parse((await jar.send(path)).body) as unknown;
    },
  };
  return jar;
}
