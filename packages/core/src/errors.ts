/**
 * Machine-readable reason carried by every {@link SessionError}.
 *
 * Callers branch on `code` (or `instanceof` a subclass), never on the message text.
 */
export type SessionErrorCode =
  /** An option given to `createSessionManager`/`sessionMiddleware` or to a `Key` factory was rejected. */
  | 'INVALID_OPTIONS'
  /** A session key is longer than {@link SESSION_KEY_MAX_BYTES}. */
  | 'INVALID_SESSION_KEY'
  /** `Session.get` found a value that does not match the given schema. */
  | 'SESSION_GET'
  /** `Session.insert` was given a value that is not JSON-representable. */
  | 'SESSION_INSERT'
  /** `Session.update`/`updateOr` produced a value that is not JSON-representable. */
  | 'SESSION_UPDATE'
  /** `SessionStore.load` failed. */
  | 'STORE_LOAD'
  /** `SessionStore.save` failed. */
  | 'STORE_SAVE'
  /** `SessionStore.update` failed. */
  | 'STORE_UPDATE'
  /** `SessionStore.updateTtl` failed. */
  | 'STORE_UPDATE_TTL'
  /** `SessionStore.delete` failed. */
  | 'STORE_DELETE'
  /** The owner index (`SessionStore.listOwned`/`deleteOwned`) or the owner revocation store failed. */
  | 'STORE_OWNERS'
  /** The configured store cannot do what was asked (listing a cookie-store session's owner, say). */
  | 'UNSUPPORTED'
  /** The lifecycle API was used out of order (a request session committed twice, or by another manager). */
  | 'MISUSE';

/**
 * Base class of every error @sess throws.
 *
 * `status` and `expose` follow the `http-errors` convention that Express, Koa and their
 * error handlers read: a session failure is a 500 whose message must not reach the client.
 * Store failures are re-thrown by the lifecycle with a generic message and the store's own
 * error as `cause`, so logs keep the detail while even a development error page shows none.
 *
 * @example
 * ```ts
 * try { await manager.load(header) } catch (err) {
 *   if (err instanceof SessionError && err.code === 'STORE_LOAD') log.error(err.cause)
 * }
 * ```
 */
export class SessionError extends Error {
  /** Why the error was thrown. */
  readonly code: SessionErrorCode;
  /** HTTP status a framework should answer with. */
  readonly status = 500;
  /** Alias of `status`, for handlers that read `statusCode`. */
  readonly statusCode = 500;
  /** Never show this error's message to the client. */
  readonly expose = false;

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * Bad configuration, thrown synchronously where the configuration is given
 * (`createSessionManager`, `sessionMiddleware`, `Key.from`, `browserSession`…), never per request.
 *
 * @example
 * ```ts
 * createSessionManager({ store, key, cookie: { sameSite: 'none', secure: false } })
 * // SessionConfigError: cookie.sameSite: 'none' requires cookie.secure to be true …
 * ```
 */
export class SessionConfigError extends SessionError {
  /** Dotted path of the rejected option, e.g. `cookie.sameSite`. */
  readonly option: string;

  constructor(option: string, problem: string) {
    super('INVALID_OPTIONS', `${option}: ${problem}`);
    this.option = option;
  }
}

/**
 * `Session.get(key, schema)` found a stored value the schema rejects.
 *
 * @example
 * ```ts
 * try { session.get('user', UserSchema) } catch (e) { if (e instanceof SessionGetError) session.remove('user') }
 * ```
 */
export class SessionGetError extends SessionError {
  /** The session key that was read. */
  readonly key: string;
  /** The schema's issues, when a schema rejected the value. */
  readonly issues: readonly { readonly message: string }[];

  constructor(key: string, message: string, issues: readonly { readonly message: string }[] = []) {
    super('SESSION_GET', message);
    this.key = key;
    this.issues = issues;
  }
}

/**
 * `Session.insert` was given a value that cannot be stored as JSON
 * (a function, symbol, bigint, cycle, `undefined`, a non-finite number, a Map or Set…).
 *
 * @example
 * ```ts
 * session.insert('when', 10n) // throws SessionInsertError: … bigint is not JSON
 * ```
 */
export class SessionInsertError extends SessionError {
  /** The session key that was written. */
  readonly key: string;

  constructor(key: string, message: string, options?: { cause?: unknown }) {
    super('SESSION_INSERT', message, options);
    this.key = key;
  }
}

/**
 * `Session.update`/`updateOr` produced (or was given as default) a value that cannot be stored as JSON.
 *
 * @example
 * ```ts
 * session.update('n', () => Number.NaN) // throws SessionUpdateError
 * ```
 */
export class SessionUpdateError extends SessionError {
  /** The session key that was updated. */
  readonly key: string;

  constructor(key: string, message: string, options?: { cause?: unknown }) {
    super('SESSION_UPDATE', message, options);
    this.key = key;
  }
}

/** Why a store could not load a session state. */
export type LoadErrorKind = 'deserialization' | 'other';
/** Why a store could not write a session state. */
export type WriteErrorKind = 'serialization' | 'other';

/**
 * Thrown by `SessionStore.load`.
 *
 * `kind: 'deserialization'` means the record exists but cannot be decoded: the lifecycle then
 * starts an empty session and keeps the key (actix-session does the same). `kind: 'other'`
 * (the store is unreachable, …) makes the request fail with an opaque 500 before the handler runs.
 *
 * @example
 * ```ts
 * throw new LoadError('other', 'database unreachable', { cause: err })
 * ```
 */
export class LoadError extends SessionError {
  /** Whether the state was unreadable (`deserialization`) or the store failed (`other`). */
  readonly kind: LoadErrorKind;

  constructor(kind: LoadErrorKind, message?: string, options?: { cause?: unknown }) {
    super(
      'STORE_LOAD',
      message ??
        (kind === 'deserialization'
          ? 'Failed to deserialize session state'
          : 'Something went wrong when retrieving the session state'),
      options,
    );
    this.kind = kind;
  }
}

/**
 * Thrown by `SessionStore.save`. Either kind turns the response into an opaque 500.
 *
 * @example
 * ```ts
 * throw new SaveError('serialization', 'state too large for this store')
 * ```
 */
export class SaveError extends SessionError {
  /** Whether the state could not be encoded (`serialization`) or the store failed (`other`). */
  readonly kind: WriteErrorKind;

  constructor(kind: WriteErrorKind, message?: string, options?: { cause?: unknown }) {
    super(
      'STORE_SAVE',
      message ??
        (kind === 'serialization'
          ? 'Failed to serialize session state'
          : 'Something went wrong when persisting the session state'),
      options,
    );
    this.kind = kind;
  }
}

/**
 * Thrown by `SessionStore.update`. Either kind turns the response into an opaque 500.
 *
 * @example
 * ```ts
 * throw new UpdateError('other', 'write timed out', { cause: err })
 * ```
 */
export class UpdateError extends SessionError {
  /** Whether the state could not be encoded (`serialization`) or the store failed (`other`). */
  readonly kind: WriteErrorKind;

  constructor(kind: WriteErrorKind, message?: string, options?: { cause?: unknown }) {
    super(
      'STORE_UPDATE',
      message ??
        (kind === 'serialization'
          ? 'Failed to serialize session state'
          : 'Something went wrong when updating the session state.'),
      options,
    );
    this.kind = kind;
  }
}

/**
 * The `kind` of a store error with the given `code`, or `'other'` for anything else.
 *
 * Matches on `code` rather than `instanceof` alone: an app can end up with two copies of
 * `@sess/core` (a store package resolving its own), and a `LoadError` from the other copy must
 * still be recognised.
 */
export function storeErrorKind(error: unknown, code: 'STORE_LOAD'): LoadErrorKind | undefined;
export function storeErrorKind(error: unknown, code: 'STORE_SAVE' | 'STORE_UPDATE'): WriteErrorKind;
export function storeErrorKind(error: unknown, code: SessionErrorCode): LoadErrorKind | WriteErrorKind | undefined {
  if (typeof error !== 'object' || error === null) return code === 'STORE_LOAD' ? undefined : 'other';
  const { code: actual, kind } = error as { code?: unknown; kind?: unknown };
  if (actual === code && (kind === 'deserialization' || kind === 'serialization' || kind === 'other')) return kind;
  return code === 'STORE_LOAD' ? undefined : 'other';
}

const STORE_FAILURES: ReadonlySet<unknown> = new Set<SessionErrorCode>([
  'STORE_LOAD',
  'STORE_SAVE',
  'STORE_UPDATE',
  'STORE_UPDATE_TTL',
  'STORE_DELETE',
  'STORE_OWNERS',
]);

/**
 * Whether `error` is a session store failure (`LoadError`, `SaveError`, `UpdateError`…: the store
 * is unreachable or refused a write), which an error handler answers with an opaque 500 and logs
 * with its `cause`. Everything else @sess throws is a usage error, a bug to fix in the app:
 * `SessionGetError` (a stored value fails its schema), `SessionInsertError` and
 * `SessionUpdateError` (a value JSON cannot hold), `SessionConfigError`, `MISUSE`. Reads `code`,
 * so an error from another copy of `@sess/core` is recognised too.
 *
 * @example
 * ```ts
 * app.use((err, req, res, next) => {
 *   if (!isStoreFailure(err)) return next(err)
 *   logger.error({ err: err.cause }, 'session store failed')
 *   res.status(500).end()
 * })
 * ```
 */
export function isStoreFailure(error: unknown): error is SessionError {
  return typeof error === 'object' && error !== null && STORE_FAILURES.has((error as { code?: unknown }).code);
}
