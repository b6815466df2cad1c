import type { StandardSchemaV1 } from '@standard-schema/spec';
import { SessionGetError, SessionInsertError, SessionUpdateError } from './errors.js';
import {
  cloneJson,
  emptyState,
  freezeJson,
  NotJsonError,
  toJsonValue,
  type JsonObject,
  type JsonValue,
  type SessionState,
} from './json.js';
import { validateWithSchema } from './schema.js';
import { SessionStatus } from './session-status.js';

/** The result of {@link Session.removeAs}: the removed value, validated or not. */
export type RemoveAsResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly raw: JsonValue; readonly issues: readonly StandardSchemaV1.Issue[] };

/** Lifecycle-only access to a session's internals; deliberately not exported from the package. */
export interface SessionInternals {
  /** Replaces the state with what the store loaded, without changing the status. */
  setState(session: Session, state: SessionState): void;
  /** The final state, handed to the store after the handler. */
  getState(session: Session): SessionState;
  /**
   * Calls `listener` once, synchronously, when the status first leaves `unchanged` (replacing
   * an earlier listener). Lets an adapter prepare for a commit only for sessions that change.
   */
  onFirstChange(session: Session, listener: () => void): void;
}

let internals!: SessionInternals;

/**
 * The state of one visitor's session, as seen by one request.
 *
 * Values are JSON: `insert` stores a copy, `get` returns a copy, so mutating either never
 * changes the session behind its back. Every write moves {@link Session.status} along
 * `unchanged → changed → renewed → purged` (never backwards); the lifecycle reads the final
 * status after the handler to decide what to persist (actix-session's decision table).
 *
 * @example
 * ```ts
 * const visits = session.get<number>('visits') ?? 0
 * session.insert('visits', visits + 1)
 * ```
 */
export class Session {
  #state: SessionState = emptyState();
  #status: SessionStatus = SessionStatus.Unchanged;
  #onFirstChange: (() => void) | undefined = undefined;

  static {
    internals = {
      setState(session, state) {
        session.#state = state;
      },
      getState(session) {
        return session.#state;
      },
      onFirstChange(session, listener) {
        session.#onFirstChange = listener;
      },
    };
  }

  /** What has happened to this session during the request. */
  get status(): SessionStatus {
    return this.#status;
  }

  /**
   * Reads the value stored under `key`, or `undefined` when there is none.
   *
   * Without a schema the value is returned as stored (a copy) and `T` is trusted, like
   * `JSON.parse`. With a Standard Schema (zod, valibot…) the value is validated and the
   * schema's output returned; a mismatch throws {@link SessionGetError}.
   *
   * @example
   * ```ts
   * const userId = session.get('userId', z.string())
   * ```
   */
  get<T = unknown>(key: string): T | undefined;
  get<S extends StandardSchemaV1>(key: string, schema: S): StandardSchemaV1.InferOutput<S> | undefined;
  get(key: string, schema?: StandardSchemaV1): unknown {
    const value = this.#read(key);
    if (value === undefined || schema === undefined) return value;
    const outcome = validateWithSchema(schema, value);
    if (outcome.ok) return outcome.value;
    throw new SessionGetError(
      key,
      `The session value under "${key}" does not match the schema: ${outcome.issues.map((i) => i.message).join('; ')}`,
      outcome.issues,
    );
  }

  /**
   * Whether a value is stored under `key`.
   *
   * @example
   * ```ts
   * if (!session.containsKey('userId')) return c.redirect('/login')
   * ```
   */
  containsKey(key: string): boolean {
    return Object.hasOwn(this.#state, key);
  }

  /**
   * A deep-frozen plain-object snapshot of the whole state.
   *
   * @example
   * ```ts
   * console.table(session.entries())
   * ```
   */
  entries(): Readonly<Record<string, JsonValue>> {
    const snapshot: JsonObject = {};
    for (const key of Object.keys(this.#state)) {
      Object.defineProperty(snapshot, key, {
        value: cloneJson(this.#state[key] as JsonValue),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return freezeJson(snapshot);
  }

  /**
   * Stores a JSON copy of `value` under `key` and marks the session changed.
   *
   * Throws {@link SessionInsertError} (leaving the session untouched) when `value` is not
   * JSON-representable. Ignored after `purge()`.
   *
   * @example
   * ```ts
   * session.insert('cart', { items: [42], updatedAt: new Date() })
   * ```
   */
  insert(key: string, value: unknown): void {
    if (this.#status === SessionStatus.Purged) return;
    let json: JsonValue;
    try {
      json = toJsonValue(value);
    } catch (error) {
      throw new SessionInsertError(key, insertMessage(key, error), { cause: error });
    }
    this.#write(key, json);
    this.#markChanged();
  }

  /**
   * Replaces the value under `key` with `fn(current)` and marks the session changed.
   * Does nothing (and does not call `fn`) when `key` is absent.
   *
   * Unlike actix-session, whose `update` leaves the status alone so the write is silently
   * dropped, the change is persisted. Throws {@link SessionUpdateError} when the result is not
   * JSON-representable; an exception thrown by `fn` propagates unchanged.
   *
   * @example
   * ```ts
   * session.update<number>('visits', (n) => n + 1)
   * ```
   */
  update<T = unknown>(key: string, fn: (current: T) => T): void {
    if (this.#status === SessionStatus.Purged || !this.containsKey(key)) return;
    const next = fn(this.#read(key) as T);
    let json: JsonValue;
    try {
      json = toJsonValue(next);
    } catch (error) {
      throw new SessionUpdateError(key, updateMessage(key, error), { cause: error });
    }
    this.#write(key, json);
    this.#markChanged();
  }

  /**
   * Like {@link Session.update} when `key` is present; otherwise inserts `defaultValue`.
   *
   * @example
   * ```ts
   * session.updateOr('visits', 1, (n: number) => n + 1)
   * ```
   */
  updateOr<T = unknown>(key: string, defaultValue: T, fn: (current: T) => T): void {
    if (this.containsKey(key)) {
      this.update(key, fn);
      return;
    }
    try {
      this.insert(key, defaultValue);
    } catch (error) {
      throw new SessionUpdateError(key, updateMessage(key, (error as { cause?: unknown }).cause), {
        cause: error,
      });
    }
  }

  /**
   * Removes `key` and returns the value it held (`undefined` if none). Marks the session changed
   * even when the key was absent, as actix-session does. Ignored after `purge()`.
   *
   * @example
   * ```ts
   * const flash = session.remove('flash')
   * ```
   */
  remove(key: string): JsonValue | undefined {
    if (this.#status === SessionStatus.Purged) return undefined;
    this.#markChanged();
    if (!Object.hasOwn(this.#state, key)) return undefined;
    // The value leaves the session, so it can be handed over without a copy.
    const value = this.#state[key];
    delete this.#state[key];
    return value;
  }

  /**
   * Removes `key` and validates the removed value with a Standard Schema.
   * Returns `undefined` when the key was absent, else `{ ok: true, value }` or
   * `{ ok: false, raw, issues }` (the value is removed either way).
   *
   * @example
   * ```ts
   * const flash = session.removeAs('flash', z.string())
   * if (flash?.ok) show(flash.value)
   * ```
   */
  removeAs<S extends StandardSchemaV1>(
    key: string,
    schema: S,
  ): RemoveAsResult<StandardSchemaV1.InferOutput<S>> | undefined {
    const raw = this.remove(key);
    if (raw === undefined) return undefined;
    const outcome = validateWithSchema(schema, raw);
    return outcome.ok ? { ok: true, value: outcome.value } : { ok: false, raw, issues: outcome.issues };
  }

  /**
   * Removes every key and marks the session changed (the session itself lives on; see `purge`).
   *
   * @example
   * ```ts
   * session.clear()
   * ```
   */
  clear(): void {
    if (this.#status === SessionStatus.Purged) return;
    this.#state = emptyState();
    this.#markChanged();
  }

  /**
   * Ends the session: the state is dropped, the store record deleted and the cookie removed
   * after the handler. Terminal: later writes and `renew()` are ignored.
   *
   * @example
   * ```ts
   * app.post('/logout', (req, res) => { req.session.purge(); res.redirect('/') })
   * ```
   */
  purge(): void {
    this.#state = emptyState();
    this.#leave(SessionStatus.Purged);
  }

  /**
   * Keeps the state but moves it to a new session key after the handler (the old key is
   * deleted). Call it whenever privileges change, e.g. on login, to defeat session fixation.
   *
   * @example
   * ```ts
   * session.insert('userId', user.id)
   * session.renew()
   * ```
   */
  renew(): void {
    if (this.#status !== SessionStatus.Purged) this.#leave(SessionStatus.Renewed);
  }

  #read(key: string): JsonValue | undefined {
    if (!Object.hasOwn(this.#state, key)) return undefined;
    return cloneJson(this.#state[key] as JsonValue);
  }

  #write(key: string, value: JsonValue): void {
    // The state has a null prototype, so even `__proto__` is stored as data.
    this.#state[key] = value;
  }

  #markChanged(): void {
    if (this.#status === SessionStatus.Unchanged) this.#leave(SessionStatus.Changed);
  }

  /** Moves to `status` (never backwards: callers check) and tells the lifecycle on the first change. */
  #leave(status: SessionStatus): void {
    const first = this.#status === SessionStatus.Unchanged;
    this.#status = status;
    const listener = this.#onFirstChange;
    if (first && listener !== undefined) {
      this.#onFirstChange = undefined;
      listener();
    }
  }
}

/** Lifecycle-only accessors (see {@link SessionInternals}). */
export function sessionInternals(): SessionInternals {
  return internals;
}

function insertMessage(key: string, error: unknown): string {
  const reason = error instanceof NotJsonError ? error.message : String(error);
  return `Cannot store session value under "${key}": ${reason}`;
}

function updateMessage(key: string, error: unknown): string {
  const reason = error instanceof NotJsonError ? error.message : String(error);
  return `Cannot update session value under "${key}": ${reason}`;
}
