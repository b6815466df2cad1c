import { SessionError } from './errors.js';
import type { SessionManager } from './session-manager.js';

/**
 * Builds, for one adapter's middleware, the check that a request is loaded once per session
 * cookie. Registering the same middleware twice (on the app and again on a router, say) would
 * otherwise read the store twice and commit the same cookie twice. Given the framework's
 * per-request object (Express `req`, Koa `ctx`, Hono `c`), the check returns `false` the first
 * time (load the session), `true` when this very middleware already ran on the request (pass the
 * request on: the first session stays), and throws a clear `SessionError` (`MISUSE`, a 500) when
 * another middleware for the same cookie name already did (two configurations for one cookie is
 * a bug). Middlewares for different cookie names coexist.
 *
 * @example
 * ```ts
 * const alreadyLoaded = createDuplicateCheck(manager)
 * app.use(async (ctx, next) => { if (alreadyLoaded(ctx)) return next(); … })
 * ```
 */
export function createDuplicateCheck(manager: SessionManager): (request: object) => boolean {
  // One mark per cookie name, shared by every manager (and every copy of @sess/core) for that name.
  const mark = Symbol.for(`@sess/core session cookie ${manager.cookieName}`);
  return (request) => {
    const marked = request as Record<symbol, SessionManager | undefined>;
    const first = marked[mark];
    if (first === manager) return true;
    if (first !== undefined) {
      throw new SessionError(
        'MISUSE',
        `Two session middlewares for the cookie "${manager.cookieName}" ran on one request: create sessionMiddleware once and register that one middleware`,
      );
    }
    marked[mark] = manager;
    return false;
  };
}
