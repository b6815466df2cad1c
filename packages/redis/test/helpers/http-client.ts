import { request } from 'node:http';

/** A response as the tests look at it. */
export interface Reply {
  status: number;
  body: string;
  /** The `Set-Cookie` header values. */
  setCookies: string[];
  /** Milliseconds from sending the request to the end of the body. */
  ms: number;
}

/**
 * Sends one request on a fresh connection (no keep-alive: nothing outlives the test) and reads
 * the whole response.
 */
export function send(url: string, options: { method?: string; cookie?: string } = {}): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', agent: false, headers: options.cookie ? { cookie: options.cookie } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('error', reject);
        res.on('end', () => {
          const header = res.headers['set-cookie'];
          resolve({ status: res.statusCode ?? 0, body, setCookies: header ?? [], ms: performance.now() - started });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The `name=value` pair of the `Set-Cookie` for `name`, if the reply has one. */
export function cookiePair(reply: Reply, name: string): string | undefined {
  const header = reply.setCookies.find((value) => value.startsWith(`${name}=`));
  return header?.split(';')[0];
}

/** Whether the reply removes the cookie `name` (`Max-Age=0`). */
export function removesCookie(reply: Reply, name: string): boolean {
  return reply.setCookies.some((value) => value.startsWith(`${name}=`) && /;\s*Max-Age=0(;|$)/i.test(value));
}

/**
 * The session key inside a `signed` session cookie: the cookie value is the 44-character
 * HMAC followed by the key itself (percent-encoded).
 */
export function sessionKeyOf(pair: string): string {
  return decodeURIComponent(pair.slice(pair.indexOf('=') + 1)).slice(44);
}
