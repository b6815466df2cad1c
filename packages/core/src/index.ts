/**
 * `@sess/core`: framework-agnostic session management, a port of Rust's actix-session.
 *
 * Adapters (`@sess/express`, `@sess/koa`, `@sess/hono`) and custom servers use
 * {@link createSessionManager}; store authors implement {@link SessionStore}.
 *
 * @packageDocumentation
 */
export { Session, type RemoveAsResult } from './session.js';
export { SessionStatus } from './session-status.js';
export {
  SessionError,
  SessionConfigError,
  SessionGetError,
  SessionInsertError,
  SessionUpdateError,
  LoadError,
  SaveError,
  UpdateError,
  isStoreFailure,
  type SessionErrorCode,
  type LoadErrorKind,
  type WriteErrorKind,
} from './errors.js';
export type { JsonArray, JsonInput, JsonObject, JsonPrimitive, JsonValue, SessionState } from './json.js';
export type { GetOptions } from './session-values.js';
export type { CompareAndUpdateResult, OwnedSessionRecord, SessionStore } from './session-store.js';
export { sessionMetaOf, withSessionMeta, type SessionMeta } from './session-meta.js';
export { MemoryOwnerRevocations, type OwnerRevocation, type OwnerRevocationStore } from './owner-revocations.js';
export type { OwnedSession, SessionOwners } from './owner-sessions.js';
export type { SessionOwner } from './session-owner.js';
export type { SessionTimeouts } from './session-timeouts.js';
export { EXPIRED_NOTICE_SECONDS, type ExpiryReason } from './session-clock.js';
export { WRITE_BUDGET } from './state-writer.js';
export {
  generateSessionKey,
  isValidSessionKey,
  toSessionKey,
  SESSION_KEY_MAX_BYTES,
  GENERATED_SESSION_KEY_LENGTH,
  type SessionKey,
} from './session-key.js';
export { serializeState, deserializeState, STATE_FORMAT_VERSION } from './state-format.js';
export { Key, KEY_BYTES, MASTER_KEY_MIN_BYTES } from './key.js';
export type { ContentSecurity } from './cookie-codec.js';
export {
  browserSession,
  persistentSession,
  type BrowserSession,
  type PersistentSession,
  type SessionLifecycle,
  type TtlExtensionPolicy,
} from './session-lifetime.js';
export type { CookieOptions, OwnersOptions, SameSite, SessionOptions } from './options.js';
export type { CookieRejectionReason, SessionEvent } from './session-event.js';
export { createSessionManager, type ResponseInfo, type SessionManager } from './session-manager.js';
export { createDuplicateCheck } from './duplicate-check.js';
export type { RequestSession } from './request-session.js';
export { COOKIE_MAX_BYTES } from './session-cookie.js';
export type { Transport } from './transport.js';
export type { MaybePromise } from './maybe-promise.js';
export { CookieSessionStore } from './stores/cookie-session-store.js';
export { MemorySessionStore, type MemorySessionStoreOptions } from './stores/memory-session-store.js';
