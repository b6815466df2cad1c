import { cloneJson, emptyState, freezeJson, type JsonObject, type JsonValue, type SessionState } from './json.js';
import type { Session } from './session.js';
import { sessionMetaOf, type SessionMeta } from './session-meta.js';
import type { SessionOp } from './session-ops.js';

/** No metadata: a session that uses neither timeouts nor owners. */
const NO_META: SessionMeta = Object.freeze({});

/**
 * What a `Session` holds for the lifecycle: the state as loaded and as the handler left it, the
 * metadata, the writes the handler made (for a replay on a fresher state) and whether the
 * request counts as activity. `Session` is the handler's view of it; the lifecycle reads it
 * through `sessionInternals().data(session)`.
 *
 * @example
 * ```ts
 * const data = sessionInternals().data(rs.session)
 * if (data.ops !== undefined) replayOps(fresh, data.ops)
 * ```
 */
export class SessionData {
  /** The state as the store returned it, metadata attached; never written to. */
  loaded: SessionState = emptyState();
  /** The working state: the loaded object itself until the first write copies it. */
  state: SessionState = this.loaded;
  /** The metadata: as loaded, with the owner the handler set, and the lifecycle's timestamps. */
  meta: SessionMeta = NO_META;
  /** The handler's writes, in order; `undefined` while it made none (reads record nothing). */
  ops: SessionOp[] | undefined = undefined;
  /** `false` once the handler said this request is not activity (`Session.ignoreActivity`). */
  activity = true;

  /** Starts from what the store loaded. */
  setLoaded(state: SessionState): void {
    this.loaded = state;
    this.state = state;
    this.meta = sessionMetaOf(state) ?? NO_META;
  }

  /** A copy of the value under `key`, or `undefined`. */
  read(key: string): JsonValue | undefined {
    return Object.hasOwn(this.state, key) ? cloneJson(this.state[key] as JsonValue) : undefined;
  }

  /** Stores `value` under `key` (the state has a null prototype, so even `__proto__` is data). */
  write(key: string, value: JsonValue): void {
    this.writable()[key] = value;
  }

  /** Drops every key. */
  clear(): void {
    this.state = emptyState();
  }

  /** Ends the session: no state, and its owner and clocks go with it. */
  purge(): void {
    this.state = emptyState();
    this.meta = NO_META;
  }

  /** The working state, copied from the loaded one at the first write (copy on write). */
  writable(): SessionState {
    if (this.state === this.loaded) {
      const copy = emptyState();
      for (const name of Object.keys(this.loaded)) copy[name] = this.loaded[name] as JsonValue;
      this.state = copy;
    }
    return this.state;
  }

  /** A deep-frozen plain-object copy of the working state (`Session.entries`). */
  snapshot(): Readonly<Record<string, JsonValue>> {
    const snapshot: JsonObject = {};
    for (const key of Object.keys(this.state)) {
      // defineProperty, not assignment: a `__proto__` key must stay data on a plain object.
      Object.defineProperty(snapshot, key, { value: cloneJson(this.state[key] as JsonValue), enumerable: true, writable: true, configurable: true });
    }
    return freezeJson(snapshot);
  }

  /** Records a write of the handler's. */
  record(op: SessionOp): void {
    (this.ops ??= []).push(op);
  }
}

/** Lifecycle-only access to a session's internals; deliberately not exported from the package. */
export interface SessionInternals {
  /** Replaces the state (and metadata) with what the store loaded, without changing the status. */
  setState(session: Session, state: SessionState): void;
  /** The final state (without its metadata), handed to the store after the handler. */
  getState(session: Session): SessionState;
  /** Everything the session holds for the lifecycle: loaded state, metadata, recorded writes. */
  data(session: Session): SessionData;
  /**
   * Calls `listener` once, synchronously, when the status first leaves `unchanged` (replacing
   * an earlier listener). Lets an adapter prepare for a commit only for sessions that change.
   */
  onFirstChange(session: Session, listener: () => void): void;
}
