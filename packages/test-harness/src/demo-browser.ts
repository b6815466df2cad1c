// Registers jest tests: the jest globals are needed wherever this package is typechecked (the bench too).
/// <reference types="jest" />
/**
 * What the demo page shows, read from its HTML.
 *
 * @example
 * ```ts
 * expect(await b.page()).toEqual({ counter: 0, user: undefined, status: 'unchanged', lastStatus: undefined, canLogIn: true })
 * ```
 */
export interface DemoPage {
  readonly counter: number;
  readonly user: string | undefined;
  readonly status: string | undefined;
  readonly lastStatus: string | undefined;
  readonly canLogIn: boolean;
}

/**
 * A tiny browser for the demo apps: one cookie jar entry for the session cookie `id`, forms
 * posted URL-encoded, redirects not followed.
 *
 * @example
 * ```ts
 * const b = browser(server.url)
 * await b.follow(await b.go('/login', { user: 'ferris' }))
 * ```
 */
export interface DemoBrowser {
  /** The `id=…` pair it sends back, if any. */
  cookie: string | undefined;
  /** GET `path`, or POST `form` to it. */
  go(path: string, form?: Record<string, string>): Promise<Response>;
  /** Loads the page (by default `/`, or where an action redirected) and reads what it shows. */
  page(path?: string): Promise<DemoPage>;
  /** The page an action's 303 leads to. */
  follow(res: Response): Promise<DemoPage>;
}

/**
 * Opens a {@link DemoBrowser} on `base` (`http://127.0.0.1:<port>`).
 *
 * @example
 * ```ts
 * const b = browser(server.url)
 * ```
 */
export function browser(base: string): DemoBrowser {
  return {
    cookie: undefined,
    async go(path, form) {
      const res = await fetch(base + path, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: this.cookie ? { cookie: this.cookie } : {},
        body: form ? new URLSearchParams(form) : undefined,
      });
      for (const header of res.headers.getSetCookie()) {
        const pair = header.split(';')[0] as string;
        if (pair.startsWith('id=')) this.cookie = /Max-Age=0/i.test(header) ? undefined : pair;
      }
      return res;
    },
    async page(path = '/') {
      const html = await (await this.go(path)).text();
      const text = (id: string): string | undefined => new RegExp(`id="${id}">([^<]*)<`).exec(html)?.[1];
      return {
        counter: Number(text('counter')),
        user: text('user-name'),
        status: text('status'),
        lastStatus: text('last-status'),
        canLogIn: html.includes('id="login"'),
      };
    },
    async follow(res) {
      expect(res.status).toBe(303);
      return this.page(res.headers.get('location') as string);
    },
  };
}
