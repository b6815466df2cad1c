/**
 * `@sess/express`: actix-session's sessions for Express 5 and 4, on `req.session`.
 *
 * Everything an app needs is exported from here; the lifecycle itself lives in `@sess/core`.
 *
 * @packageDocumentation
 */
export { sessionMiddleware } from './session-middleware.js';
export {
  Session,
  SessionStatus,
  Key,
  CookieSessionStore,
  MemorySessionStore,
  MemoryOwnerRevocations,
  browserSession,
  persistentSession,
  SessionError,
  SessionConfigError,
  SessionGetError,
  SessionInsertError,
  SessionUpdateError,
  LoadError,
  SaveError,
  UpdateError,
  isStoreFailure,
  type BrowserSession,
  type ContentSecurity,
  type CookieOptions,
  type CookieRejectionReason,
  type GetOptions,
  type JsonInput,
  type JsonValue,
  type OwnedSession,
  type OwnerRevocationStore,
  type OwnersOptions,
  type MemorySessionStoreOptions,
  type PersistentSession,
  type SameSite,
  type SessionErrorCode,
  type SessionEvent,
  type SessionKey,
  type SessionLifecycle,
  type SessionOptions,
  type SessionOwners,
  type SessionTimeouts,
  type SessionState,
  type SessionStore,
  type TtlExtensionPolicy,
} from '@sess/core';
