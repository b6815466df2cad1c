import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { COOKIE_MAX_BYTES } from '@sess/core';
import { parseSetCookie, type SetCookie } from './parse-set-cookie.js';

/**
 * What a test sees of a response.
 *
 * @example
 * ```ts
 * const { status, body, cookies } = await send(url)
 * ```
 */
export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The raw `Set-Cookie` header values, in order. */
  readonly setCookie: readonly string[];
  /** The same, parsed (values still percent-encoded, as a browser sends them back). */
  readonly cookies: readonly SetCookie[];
  /** Milliseconds from sending the request to the end of the body. */
  readonly ms: number;
}

/**
 * A request to send.
 *
 * @example
 * ```ts
 * const init: HttpRequest = { method: 'POST', cookie: 'id=…', json: { user_id: 'ferris' } }
 * ```
 */
export interface HttpRequest {
  readonly method?: string;
  /** The `Cookie` header, sent byte for byte (characters U+0080–U+00FF as single bytes). */
  readonly cookie?: string;
  /** A body sent as `application/json`. */
  readonly json?: unknown;
  /** A body sent as `text/plain` UTF-8 (ignored when `json` is given). */
  readonly body?: string;
  /** More request headers. */
  readonly headers?: Record<string, string>;
  /** A keep-alive agent for bulk traffic; by default every request has a connection of its own. */
  readonly agent?: Agent;
  /** Fails the request when the response takes longer. Default: no limit. */
  readonly timeoutMs?: number;
}

const oversize: string[] = [];

/**
 * Sends one request and reads the whole response. By default over a fresh connection (no
 * keep-alive, so servers close promptly). Every `Set-Cookie` seen is checked against the 4096
 * bytes browsers keep for `name=value` (RFC 6265 §6.1); see {@link takeOversizeCookies}.
 *
 * @example
 * ```ts
 * const res = await send(`${server.url}/login`, { method: 'POST', json: { user_id: 'ferris' } })
 * ```
 */
export function send(url: string, init: HttpRequest = {}): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] = 'application/json';
  } else if (body !== undefined) {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  if (init.cookie !== undefined) headers.cookie = init.cookie;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const options = { method: init.method ?? 'GET', headers, agent: init.agent ?? false, timeout: init.timeoutMs };
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const setCookie = res.headers['set-cookie'] ?? [];
        for (const header of setCookie) {
          const pair = pairOf(header);
          if (Buffer.byteLength(pair, 'latin1') > COOKIE_MAX_BYTES) oversize.push(`${url}: ${pair.length} bytes`);
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          setCookie,
          cookies: setCookie.map(parseSetCookie),
          ms: performance.now() - started,
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${options.method} ${url} timed out after ${init.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The `Set-Cookie` headers over 4096 bytes (`name=value`) received since the last call, and
 * forgets them. The security suite asserts it is empty after each test.
 *
 * @example
 * ```ts
 * afterEach(() => expect(takeOversizeCookies()).toEqual([]))
 * ```
 */
export function takeOversizeCookies(): string[] {
  return oversize.splice(0);
}

/**
 * The `name=value` pair a browser sends back for a `Set-Cookie` header.
 *
 * @example
 * ```ts
 * pairOf('id=abc; HttpOnly; Path=/') // 'id=abc'
 * ```
 */
export function pairOf(setCookie: string): string {
  const end = setCookie.indexOf(';');
  return (end === -1 ? setCookie : setCookie.slice(0, end)).trim();
}

/**
 * The first cookie named `name` that a response sets, or `undefined` (actix's `cookies().find(…)`).
 *
 * @example
 * ```ts
 * const cookie1 = findCookie(res, 'test-session')
 * ```
 */
export function findCookie(response: HttpResponse, name: string): SetCookie | undefined {
  return response.cookies.find((cookie) => cookie.name === name);
}

/**
 * The `name=value` pair of the first cookie named `name` a response sets, or `undefined`.
 *
 * @example
 * ```ts
 * const cookie = sessionCookie(res, 'id')
 * ```
 */
export function sessionCookie(response: HttpResponse, name: string): string | undefined {
  const cookie = findCookie(response, name);
  return cookie === undefined ? undefined : cookieHeader(cookie);
}

/**
 * The `Cookie` header a browser would send back for `cookie`.
 *
 * @example
 * ```ts
 * await send(url, { cookie: cookieHeader(cookie1) })
 * ```
 */
export function cookieHeader(cookie: SetCookie): string {
  return `${cookie.name}=${cookie.value}`;
}

/**
 * Whether a response clears the cookie `name` (`name=; …; Max-Age=0`).
 *
 * @example
 * ```ts
 * expect(removesCookie(logout, 'id')).toBe(true)
 * ```
 */
export function removesCookie(response: HttpResponse, name: string): boolean {
  return response.cookies.some((cookie) => cookie.name === name && cookie.value === '' && cookie.maxAge === 0);
}
