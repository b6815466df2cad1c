import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { parseSetCookie, type SetCookie } from '@sess/conformance/src/parse-set-cookie';
import { COOKIE_MAX_BYTES } from '@sess/core';

/**
 * What a test sees of a response.
 *
 * @example
 * ```ts
 * const { status, body, setCookie } = await send(`${server.url}/echo`, { cookie })
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
}

/**
 * A request to send.
 *
 * @example
 * ```ts
 * const init: HttpRequest = { method: 'POST', cookie: 'id=…', body: '{"n":1}' }
 * ```
 */
export interface HttpRequest {
  readonly method?: string;
  /** The `Cookie` header, sent byte for byte (characters U+0080–U+00FF as single bytes). */
  readonly cookie?: string;
  /** A request body, sent as UTF-8. */
  readonly body?: string;
  /** A keep-alive agent for bulk traffic; by default every request has a connection of its own. */
  readonly agent?: Agent;
}

const oversize: string[] = [];

/**
 * Sends one request and reads the whole response. Every `Set-Cookie` seen is checked against
 * the 4096 bytes browsers keep for `name=value` (RFC 6265 §6.1); see {@link takeOversizeCookies}.
 *
 * @example
 * ```ts
 * const res = await send(`${server.url}/put`, { method: 'POST', body: JSON.stringify({ n: 1 }) })
 * ```
 */
export function send(url: string, init: HttpRequest = {}): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) {
    headers['content-type'] = 'text/plain; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(init.body));
  }
  if (init.cookie !== undefined) headers.cookie = init.cookie;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers, agent: init.agent ?? false }, (res) => {
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
        });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * The `Set-Cookie` headers over 4096 bytes (`name=value`) received since the last call, and
 * forgets them. Every test file asserts it is empty after each test.
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
 * The `name=value` pair of the first cookie named `name` a response sets, or `undefined`.
 *
 * @example
 * ```ts
 * const cookie = sessionCookie(res, 'id')
 * ```
 */
export function sessionCookie(response: HttpResponse, name: string): string | undefined {
  const header = response.setCookie.find((value) => pairOf(value).startsWith(`${name}=`));
  return header === undefined ? undefined : pairOf(header);
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
