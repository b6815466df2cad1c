import { SessionError } from '@sess/core';

/**
 * The `SessionError` a framework's error handling received: the error itself (Express, Koa) or
 * the `cause` of the `HTTPException` wrapping it (Hono).
 *
 * @example
 * ```ts
 * expect(sessionErrorOf(server.errors[0])?.status).toBe(500)
 * ```
 */
export function sessionErrorOf(error: unknown): SessionError | undefined {
  for (let current = error, depth = 0; current !== undefined && depth < 3; depth++) {
    if (current instanceof SessionError) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
