import { contenderId, type Contender } from '../contenders.js';
import { send, type HttpResponse } from '@sess/test-harness';
import { applySetCookies } from './cookie-jar.js';

/** What the sanity pass learned about a contender. */
export interface SanityReport {
  readonly id: string;
  /** Whether `GET /read` without a cookie answered with a `Set-Cookie` (a cookie for every visitor). */
  readonly newVisitorGetsCookie: boolean;
  /** The cookie names the contender issues (e.g. a value cookie and a signature cookie). */
  readonly cookieNames: readonly string[];
  /**
   * The `Cookie` header for the timed scenarios: from a fresh `POST /write` without a cookie,
   * so it holds a session whose counter is 1. `undefined` for a bare server.
   */
  readonly loadCookie: string | undefined;
}

/**
 * A contender that does not do what its routes claim; the message says which step and why.
 *
 * @example
 * ```ts
 * throw new SanityError('koa/sess-redis', 'GET /read with the cookie', 'expected counter 2, got 0')
 * ```
 */
export class SanityError extends Error {
  constructor(id: string, step: string, problem: string, response?: HttpResponse) {
    const seen = response === undefined ? '' : ` (status ${response.status}, body ${JSON.stringify(response.body.slice(0, 200))})`;
    super(`Sanity check failed for ${id} at "${step}": ${problem}${seen}`);
    this.name = 'SanityError';
  }
}

/**
 * Checks, over real HTTP, that a contender's routes do what they claim before anything is timed:
 * a first `POST /write` returns 1 and sets a cookie; with that cookie `POST /write` returns 2,
 * `GET /read` returns 2 and `GET /plain` answers 200; `GET /read` without a cookie returns 0 (and,
 * for @sess, sets no cookie). A bare server or a no-op middleware must answer 0/1/200 and set no
 * cookie at all.
 * Throws {@link SanityError} at the first mismatch.
 *
 * @example
 * ```ts
 * const report = await sanityCheck(contender, server.port)
 * report.loadCookie // the Cookie header for the load runs
 * ```
 */
export async function sanityCheck(contender: Contender, port: number): Promise<SanityReport> {
  const id = contenderId(contender);
  const expect = async (
    step: string,
    method: 'GET' | 'POST',
    path: string,
    cookie: string | undefined,
    check: (response: HttpResponse) => string | undefined,
  ): Promise<HttpResponse> => {
    let response: HttpResponse;
    try {
      response = await send(`http://127.0.0.1:${port}${path}`, { method, cookie, ...(method === 'POST' ? { body: '' } : {}), timeoutMs: 10_000 });
    } catch (error) {
      throw new SanityError(id, step, `request failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status !== 200) throw new SanityError(id, step, 'expected status 200', response);
    const problem = check(response);
    if (problem !== undefined) throw new SanityError(id, step, problem, response);
    return response;
  };
  const counterIs =
    (expected: number) =>
    (response: HttpResponse): string | undefined => {
      const counter = counterIn(response.body);
      return counter === expected ? undefined : `expected counter ${expected}, got ${String(counter)}`;
    };
  const plainIsOk = (response: HttpResponse): string | undefined =>
    isOkBody(response.body) ? undefined : 'expected {"ok":true}';

  if (contender.kind === 'bare' || contender.kind === 'noop') {
    const noCookie =
      (check: (response: HttpResponse) => string | undefined) =>
      (response: HttpResponse): string | undefined =>
        check(response) ?? (response.setCookie.length > 0 ? 'a bare server must not set cookies' : undefined);
    await expect('POST /write', 'POST', '/write', undefined, noCookie(counterIs(1)));
    await expect('GET /read', 'GET', '/read', undefined, noCookie(counterIs(0)));
    await expect('GET /plain', 'GET', '/plain', undefined, noCookie(plainIsOk));
    return { id, newVisitorGetsCookie: false, cookieNames: [], loadCookie: undefined };
  }

  const jar = new Map<string, string>();
  const first = await expect('POST /write without a cookie', 'POST', '/write', undefined, (response) =>
    counterIs(1)(response) ?? (response.setCookie.length === 0 ? 'expected a Set-Cookie for the new session' : undefined),
  );
  let cookie = applySetCookies(jar, first.setCookie);
  const cookieNames = [...jar.keys()];

  const second = await expect('POST /write with the cookie', 'POST', '/write', cookie, counterIs(2));
  cookie = applySetCookies(jar, second.setCookie);
  const read = await expect('GET /read with the cookie', 'GET', '/read', cookie, counterIs(2));
  cookie = applySetCookies(jar, read.setCookie);
  const plain = await expect('GET /plain with the cookie', 'GET', '/plain', cookie, plainIsOk);
  cookie = applySetCookies(jar, plain.setCookie);
  await expect('GET /read after /plain', 'GET', '/read', cookie, counterIs(2));

  const visitor = await expect('GET /read without a cookie (new visitor)', 'GET', '/read', undefined, (response) => {
    const problem = counterIs(0)(response);
    if (problem !== undefined) return problem;
    if (contender.kind === 'sess' && response.setCookie.length > 0) {
      return `@sess must not set a cookie for a visitor who wrote nothing, got ${response.setCookie.join(' | ')}`;
    }
    return undefined;
  });

  // The timed runs send this one cookie on every request: a session holding counter 1.
  const fresh = await expect('POST /write for the load cookie', 'POST', '/write', undefined, (response) =>
    counterIs(1)(response) ?? (response.setCookie.length === 0 ? 'expected a Set-Cookie' : undefined),
  );
  const loadCookie = applySetCookies(new Map(), fresh.setCookie);
  await expect('GET /read with the load cookie', 'GET', '/read', loadCookie, counterIs(1));
  return { id, newVisitorGetsCookie: visitor.setCookie.length > 0, cookieNames, loadCookie };
}

function counterIn(body: string): unknown {
  try {
    return (JSON.parse(body) as { counter?: unknown }).counter;
  } catch {
    return undefined;
  }
}

function isOkBody(body: string): boolean {
  try {
    return (JSON.parse(body) as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}
