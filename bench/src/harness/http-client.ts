import { request } from 'node:http';

/** What the sanity pass needs of a response. */
export interface SimpleResponse {
  readonly status: number;
  /** Every `Set-Cookie` header, as sent. */
  readonly setCookies: readonly string[];
  readonly body: string;
}

/**
 * One request to 127.0.0.1 on a fresh connection (no agent, so nothing stays open afterwards).
 *
 * @example
 * ```ts
 * const { status, body } = await send(port, 'POST', '/write', 'id=abc')
 * ```
 */
export function send(port: number, method: 'GET' | 'POST', path: string, cookie?: string): Promise<SimpleResponse> {
  return new Promise<SimpleResponse>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { ...(cookie === undefined ? {} : { cookie }), ...(method === 'POST' ? { 'content-length': '0' } : {}) },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            setCookies: res.headers['set-cookie'] ?? [],
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Updates a browser-like cookie jar (name → value) from `Set-Cookie` headers: a cookie with
 * `Max-Age=0` or an empty value is removed. Returns the `Cookie` header to send next, if any.
 *
 * @example
 * ```ts
 * const jar = new Map<string, string>()
 * const cookie = applySetCookies(jar, response.setCookies) // 'id=…'
 * ```
 */
export function applySetCookies(jar: Map<string, string>, setCookies: readonly string[]): string | undefined {
  for (const header of setCookies) {
    const pair = header.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (value === '' || /;\s*max-age=0(;|$)/i.test(header)) jar.delete(name);
    else jar.set(name, value);
  }
  return cookieHeader(jar);
}

/**
 * The `Cookie` header for a jar, `undefined` when it is empty.
 *
 * @example
 * ```ts
 * cookieHeader(new Map([['session', 'a'], ['session.sig', 'b']])) // 'session=a; session.sig=b'
 * ```
 */
export function cookieHeader(jar: ReadonlyMap<string, string>): string | undefined {
  if (jar.size === 0) return undefined;
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}
