import { request, type IncomingHttpHeaders } from 'node:http';
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
  /** The same, parsed. */
  readonly cookies: readonly SetCookie[];
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
  /** The `Cookie` header, sent as is. */
  readonly cookie?: string;
  /** A body sent as `application/json`. */
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
}

/**
 * Sends one request over a fresh connection (no keep-alive, so servers close promptly) and
 * reads the whole response.
 *
 * @example
 * ```ts
 * const res = await send(`${server.url}/login`, { method: 'POST', json: { user_id: 'ferris' } })
 * ```
 */
export function send(url: string, init: HttpRequest = {}): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] = 'application/json';
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  if (init.cookie !== undefined) headers.cookie = init.cookie;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const setCookie = res.headers['set-cookie'] ?? [];
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
    req.end(body);
  });
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
