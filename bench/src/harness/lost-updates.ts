import { contenderId, type Contender } from '../contenders.js';
import type { LostUpdateResult } from '../report/results.js';
import { send as sendTo } from '@sess/test-harness';
import { applySetCookies, cookieHeader } from './cookie-jar.js';

/** The shape of the concurrent-writers check. */
export interface LostUpdateSettings {
  /** Distinct sessions, each checked on its own. */
  readonly sessions: number;
  /** Concurrent `POST /count` requests per session in each wave. */
  readonly writers: number;
  /** Waves per session, one after the other. */
  readonly waves: number;
}

/** 10 sessions × 8 concurrent writers × 3 waves: 240 increments per contender. */
export const DEFAULT_LOST_UPDATE_SETTINGS: LostUpdateSettings = { sessions: 10, writers: 8, waves: 3 };

/**
 * Counts the increments a contender loses when several requests of one session write at once,
 * as parallel XHRs or a second tab do. Per session: a login (`POST /count` without a cookie: the
 * counter is 1), then `waves` times `writers` concurrent `POST /count` with the session's cookie
 * (each adds one: @sess with `updateOr`, the peers with `n = n + 1`), the responses' `Set-Cookie`
 * applied to the session's cookie jar in the order they arrive (what a browser keeps: the last
 * one), then `GET /read`. Lost = expected − read, summed over the sessions. A cookie store keeps
 * the state in the cookie, so concurrent writers of it always lose all but one increment: that is
 * measured, not excused.
 *
 * @example
 * ```ts
 * const { lost, expected } = await countLostUpdates(contender, port, DEFAULT_LOST_UPDATE_SETTINGS)
 * ```
 */
export async function countLostUpdates(contender: Contender, port: number, settings: LostUpdateSettings): Promise<LostUpdateResult> {
  const id = contenderId(contender);
  let lost = 0;
  let failures = 0;
  const perSession = 1 + settings.writers * settings.waves;
  for (let s = 0; s < settings.sessions; s++) {
    const jar = new Map<string, string>();
    const login = await send(port, 'POST', '/count');
    if (login.status !== 200) throw new Error(`${id}: POST /count without a cookie answered ${login.status}`);
    applySetCookies(jar, login.setCookie);
    for (let wave = 0; wave < settings.waves; wave++) {
      const cookie = cookieHeader(jar);
      await Promise.all(
        Array.from({ length: settings.writers }, async () => {
          const response = await send(port, 'POST', '/count', cookie);
          if (response.status === 200) applySetCookies(jar, response.setCookie);
          else failures += 1;
        }),
      );
    }
    const read = await send(port, 'GET', '/read', cookieHeader(jar));
    lost += perSession - counterIn(read.body);
  }
  return {
    id,
    label: contender.label,
    framework: contender.framework,
    kind: contender.kind,
    store: contender.store,
    ...settings,
    expected: perSession * settings.sessions,
    lost,
    failures,
  };
}

/** One request on a fresh connection, as the concurrent tabs of one browser would send them. */
function send(port: number, method: 'GET' | 'POST', path: string, cookie?: string) {
  return sendTo(`http://127.0.0.1:${port}${path}`, {
    method,
    ...(cookie === undefined ? {} : { cookie }),
    ...(method === 'POST' ? { body: '' } : {}),
    timeoutMs: 10_000,
  });
}

function counterIn(body: string): number {
  try {
    const counter = (JSON.parse(body) as { counter?: unknown }).counter;
    return typeof counter === 'number' ? counter : 0;
  } catch {
    return 0;
  }
}
