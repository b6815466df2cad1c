import { Agent } from 'node:http';
import { contenderId, type Contender } from '../contenders.js';
import { send } from '@sess/test-harness';
import { applySetCookies } from './cookie-jar.js';

/** Requests in flight while a pool is built. */
const PARALLEL = 16;

/**
 * Logs `count` distinct sessions into a contender before anything is timed (`POST /write` without
 * a cookie, its `Set-Cookie` kept: a session holding counter 1) and returns their `Cookie`
 * headers. Empty for a bare server or a no-op middleware, which issue no cookie. Throws at the
 * first request that fails or sets no cookie, naming the contender.
 *
 * @example
 * ```ts
 * const cookies = await createSessionPool(contender, port, 5000)
 * ```
 */
export async function createSessionPool(contender: Contender, port: number, count: number): Promise<string[]> {
  if (contender.kind === 'bare' || contender.kind === 'noop') return [];
  const agent = new Agent({ keepAlive: true, maxSockets: PARALLEL });
  const cookies = new Array<string>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const response = await send(`http://127.0.0.1:${port}/write`, { method: 'POST', body: '', agent, timeoutMs: 10_000 });
      const cookie = applySetCookies(new Map(), response.setCookie);
      if (response.status !== 200 || cookie === undefined) {
        throw new Error(`${contenderId(contender)}: creating session ${index} got status ${response.status} and no cookie`);
      }
      cookies[index] = cookie;
    }
  };
  try {
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  } finally {
    agent.destroy();
  }
  return cookies;
}
