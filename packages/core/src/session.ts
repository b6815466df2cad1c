import type { StandardSchemaV1 } from '@standard-schema/spec';
import { cloneJson, freezeJson, type JsonInput, type JsonObject, type JsonValue } from './json.js';
import { validateWithSchema } from './schema.js';
import { SessionData, type SessionInternals } from './session-data.js';
import { checkOwner, ownedMeta, type SessionOwner } from './session-owner.js';
import { SessionStatus } from './session-status.js';
import { defaultValue, insertedValue, updatedValue, validatedValue, type GetOptions } from './session-values.js';

/** The result of {@link Session.removeAs}: the removed value, validated or not. */
export type RemoveAsResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly raw: JsonValue; readonly issues: readonly StandardSchemaV1.Issue[] };

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
  readonly #data = new SessionData();
  #status: SessionStatus = SessionStatus.Unchanged;
  #onFirstChange: (() => void) | undefined = undefined;

  static {
    internals = {
      setState: (session, state) => session.#data.setLoaded(state),
      getState: (session) => session.#data.state,
      data: (session) => session.#data,
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
   * Who the session belongs to (see {@link Session.setOwner}), or `undefined`.
   *
   * @example
   * ```ts
   * if (session.owner === undefined) return res.redirect('/login')
   * ```
   */
  get owner(): SessionOwner | undefined {
    const { owner, details } = this.#data.meta;
    return owner === undefined ? undefined : { id: owner, details: details === undefined ? undefined : freezeJson(cloneJson(details)) };
  }

  /**
   * Ties the session to an owner (a user id: a non-empty string of at most 256 bytes) with
   * optional `details` to show in listings (a JSON object of at most 1 KiB, e.g. the user agent),
   * and marks the session changed. The owner's sessions can then be listed and revoked (see the
   * `owners` API of the manager and adapters). The owner survives `renew()` and is dropped by
   * `purge()`. Throws {@link SessionInsertError} for a bad id or details; ignored after `purge()`.
   *
   * @example
   * ```ts
   * session.setOwner(user.id, { userAgent: req.get('user-agent') ?? 'unknown' })
   * session.renew()
   * ```
   */
  setOwner(ownerId: string, details?: JsonObject): void {
    if (this.#status === SessionStatus.Purged) return;
    const copy = checkOwner(ownerId, details);
    this.#data.meta = ownedMeta(this.#data.meta, ownerId, copy);
    this.#data.record({ kind: 'owner', owner: ownerId, details: copy });
    this.#markChanged();
  }

  /**
   * Says this request is not user activity (polling, a health check): it does not push the idle
   * deadline back (`idleTimeoutSeconds`). The request still reads the session and can still
   * write to it.
   *
   * @example
   * ```ts
   * app.get('/notifications', (req, res) => { req.session.ignoreActivity(); res.json(unread(req.session)) })
   * ```
   */
  ignoreActivity(): void {
    this.#data.activity = false;
  }

  /**
   * Reads the value stored under `key`, or `undefined` when there is none.
   *
   * Without a schema the value is returned as stored (a copy) and `T` is trusted, like
   * `JSON.parse`. With a Standard Schema (zod, valibot…) the value is validated and the
   * schema's output returned; a mismatch throws {@link SessionGetError}, or, with
   * `{ onMismatch: 'remove' }`, removes the value and returns `undefined` (a value written by an
   * older release of the app then stops failing every request of that session).
   *
   * @example
   * ```ts
   * const userId = session.get('userId', z.string(), { onMismatch: 'remove' })
   * ```
   */
  get<T = unknown>(key: string): T | undefined;
  get<S extends StandardSchemaV1>(key: string, schema: S, options?: GetOptions): StandardSchemaV1.InferOutput<S> | undefined;
  get(key: string, schema?: StandardSchemaV1, options?: GetOptions): unknown {
    const value = this.#data.read(key);
    if (value === undefined || schema === undefined) return value;
    const valid = validatedValue(key, value, schema, options?.onMismatch === 'remove');
    if (!valid.ok) this.remove(key);
    return valid.ok ? valid.value : undefined;
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
    return Object.hasOwn(this.#data.state, key);
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
    return this.#data.snapshot();
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
  insert<T>(key: string, value: T & JsonInput<T>): void {
    if (this.#status === SessionStatus.Purged) return;
    const json = insertedValue(key, value);
    this.#data.write(key, json);
    this.#data.record({ kind: 'insert', key, value: json });
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
  update<T = unknown>(key: string, fn: (current: T) => T & JsonInput<T>): void {
    if (this.#status === SessionStatus.Purged || !this.containsKey(key)) return;
    this.#data.write(key, updatedValue(key, fn(this.#data.read(key) as T)));
    this.#data.record({ kind: 'update', key, fn: fn as (current: never) => unknown });
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
  updateOr<T = unknown>(key: string, fallback: T & JsonInput<T>, fn: (current: T) => T & JsonInput<T>): void {
    if (this.#status === SessionStatus.Purged) return;
    const next = this.containsKey(key) ? updatedValue(key, fn(this.#data.read(key) as T)) : defaultValue(key, fallback);
    this.#data.write(key, next);
    this.#data.record({ kind: 'updateOr', key, defaultValue: fallback, fn: fn as (current: never) => unknown });
    this.#markChanged();
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
    this.#data.record({ kind: 'remove', key });
    this.#markChanged();
    if (!this.containsKey(key)) return undefined;
    // The value leaves the session, so it can be handed over without a copy.
    const value = this.#data.state[key];
    delete this.#data.writable()[key];
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
    this.#data.clear();
    this.#data.record({ kind: 'clear' });
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
    this.#data.purge();
    this.#leave(SessionStatus.Purged);
  }

  /**
   * Keeps the state but moves it to a new session key after the handler (the old key is
   * deleted). Call it whenever privileges change, e.g. on login, to defeat session fixation.
   * The owner and the creation time stay (the absolute timeout runs from the first login).
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
