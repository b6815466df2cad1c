/** What the demo page shows (element ids from examples/hono/src/page.ts). */
export interface PageView {
  readonly counter: number;
  readonly user: string | undefined;
  readonly status: string | undefined;
  readonly canLogIn: boolean;
}

/** A response as the test needs it: the body read, the session's Set-Cookie headers picked out. */
export interface Visit {
  readonly status: number;
  readonly location: string | null;
  readonly contentType: string | null;
  /** Every `Set-Cookie` header of the response that sets the session cookie `id`. */
  readonly sessionCookies: readonly string[];
  readonly body: string;
}

/**
 * A tiny browser for one mount of the portable app (`/cookie` or `/memory`) on one server: it
 * keeps the session cookie `id` like a browser would (set on `Set-Cookie`, dropped on
 * `Max-Age=0`), never follows redirects, and, given a runtime, checks that every response says
 * (in `X-Runtime`, which the portable app sets) that it came from that runtime.
 */
export class Browser {
  /** The `id=<value>` pair sent in the `Cookie` header, if any. */
  cookie: string | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly mount: string,
    private readonly runtime?: string,
  ) {}

  /** GET `path`, or POST it as a form when `form` is given. */
  async go(path: string, form?: Record<string, string>): Promise<Visit> {
    const response = await fetch(this.baseUrl + this.mount + path, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: this.cookie ? { cookie: this.cookie } : {},
      body: form ? new URLSearchParams(form) : undefined,
    });
    const body = await response.text();
    const answeredBy = response.headers.get('x-runtime');
    if (this.runtime !== undefined && answeredBy !== this.runtime) {
      throw new Error(`expected ${this.runtime} to answer ${path}, but X-Runtime is ${String(answeredBy)}`);
    }
    const sessionCookies = response.headers.getSetCookie().filter((header) => header.startsWith('id='));
    for (const header of sessionCookies) {
      this.cookie = /;\s*Max-Age=0/i.test(header) ? undefined : header.split(';')[0];
    }
    return {
      status: response.status,
      location: response.headers.get('location'),
      contentType: response.headers.get('content-type'),
      sessionCookies,
      body,
    };
  }

  /** Loads the page and reads what it shows. */
  async page(): Promise<PageView & { visit: Visit }> {
    const visit = await this.go('');
    const text = (id: string) => new RegExp(`id="${id}">([^<]*)<`).exec(visit.body)?.[1];
    return {
      counter: Number(text('counter')),
      user: text('user-name'),
      status: text('status'),
      canLogIn: visit.body.includes('id="login"'),
      visit,
    };
  }
}

/**
 * The cookie pair with one character of its value changed to another letter or digit: still
 * canonical base64 (so it is not rejected as malformed), but no longer what the key sealed.
 */
export function tamper(cookie: string): string {
  const eq = cookie.indexOf('=');
  const chars = [...cookie];
  // Start in the middle of the value, away from the padding whose trailing bits must stay zero.
  for (let i = eq + 1 + Math.floor((cookie.length - eq - 1) / 2); i < chars.length; i++) {
    const c = chars[i]!;
    if (/[A-Za-z0-9]/.test(c) && chars[i - 1] !== '%' && chars[i - 2] !== '%') {
      chars[i] = c === 'A' ? 'B' : 'A';
      return chars.join('');
    }
  }
  throw new Error(`tamper: no letter or digit to change in ${cookie}`);
}
