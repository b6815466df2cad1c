import type { JsonObject, JsonValue } from './json.js';

/**
 * One write a handler made to its session, recorded so the write can be made again on a fresher
 * state: when a concurrent request changed the stored state first, the lifecycle reloads it and
 * replays the operations on it (see `SessionStore.compareAndUpdate`). Update functions run again
 * on the fresh value, so `updateOr('n', 0, n => n + 1)` is an atomic increment.
 *
 * @example
 * ```ts
 * const op: SessionOp = { kind: 'updateOr', key: 'n', defaultValue: 0, fn: (n) => (n as number) + 1 }
 * ```
 */
export type SessionOp =
  | { readonly kind: 'insert'; readonly key: string; readonly value: JsonValue }
  | { readonly kind: 'update'; readonly key: string; readonly fn: (current: never) => unknown }
  | { readonly kind: 'updateOr'; readonly key: string; readonly defaultValue: unknown; readonly fn: (current: never) => unknown }
  | { readonly kind: 'remove'; readonly key: string }
  | { readonly kind: 'clear' }
  | { readonly kind: 'owner'; readonly owner: string; readonly details: JsonObject | undefined };

/**
 * What a replay writes to: the methods of `Session` with the semantics the handler saw. The
 * lifecycle replays onto a fresh `Session`, so a replayed operation does exactly what the
 * handler's call did, only on the current value.
 */
export interface OpTarget {
  insert(key: string, value: JsonValue): void;
  update(key: string, fn: (current: never) => unknown): void;
  updateOr(key: string, defaultValue: unknown, fn: (current: never) => unknown): void;
  remove(key: string): unknown;
  clear(): void;
  setOwner(owner: string, details?: JsonObject): void;
}

/**
 * Applies `ops`, in order, to `target`.
 *
 * @example
 * ```ts
 * replayOps(fresh, recorded) // fresh now holds the current state plus this request's writes
 * ```
 */
export function replayOps(target: OpTarget, ops: readonly SessionOp[]): void {
  for (const op of ops) {
    switch (op.kind) {
      case 'insert':
        target.insert(op.key, op.value);
        break;
      case 'update':
        target.update(op.key, op.fn);
        break;
      case 'updateOr':
        target.updateOr(op.key, op.defaultValue, op.fn);
        break;
      case 'remove':
        target.remove(op.key);
        break;
      case 'clear':
        target.clear();
        break;
      case 'owner':
        target.setOwner(op.owner, op.details);
        break;
    }
  }
}
