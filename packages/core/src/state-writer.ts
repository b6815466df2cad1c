import { UpdateError } from './errors.js';
import type { SessionState } from './json.js';
import type { SessionKey } from './session-key.js';
import { serializeState } from './state-format.js';
import type { StoreCalls } from './store-calls.js';

/**
 * How hard a commit tries when concurrent requests of its session keep writing first. Each
 * conflict means another request's write succeeded, and the store hands back the current state
 * with the conflict (no extra read), so N concurrent writers all succeed within N attempts:
 * 64 covers 32 concurrent writers from as many processes with room to spare. The time bound stops
 * a commit from outliving its request under a storm of writes. Past either: `UpdateError`, i.e.
 * the usual opaque 500.
 */
export const WRITE_BUDGET = Object.freeze({ attempts: 64, milliseconds: 5000 });

/**
 * Builds the record to write on top of `base` (a state as stored, metadata attached): the
 * request's writes replayed on it, its metadata stamped.
 */
export type RecordBuilder = (base: SessionState) => SessionState;

/**
 * Writes a changed session's state without losing concurrent requests' writes. With a store that
 * has `compareAndUpdate`: replace the state only if it is still what the request loaded; on a
 * conflict, replay the request's writes on the current state and try again, within
 * {@link WRITE_BUDGET}. Within one process, writes of one session are chained: each starts from
 * what the previous one wrote, so they do not even conflict (compare-and-update still guards
 * against other processes). A store without it gets a plain `update`: the last writer wins.
 *
 * @example
 * ```ts
 * const next = await writer.write(sessionKey, loaded, record, rebuild) // null: gone meanwhile
 * ```
 */
export class StateWriter {
  // Per session key, what the last write in this process left in the store (`undefined`: unknown).
  readonly #chains = new Map<SessionKey, Promise<SessionState | undefined>>();

  constructor(
    private readonly store: StoreCalls,
    private readonly ttlFor: (record: SessionState) => number,
    private readonly now: () => number,
  ) {}

  /**
   * Writes `record` (built by the request on `loaded`) under `sessionKey`; `rebuild` makes it
   * again on another base. Resolves to the key to send, or `null` when the state is gone.
   */
  async write(sessionKey: SessionKey, loaded: SessionState, record: SessionState, rebuild: RecordBuilder): Promise<SessionKey | null> {
    if (!this.store.canCompare) return this.store.update(sessionKey, record, this.ttlFor(record));
    const previous = this.#chains.get(sessionKey);
    let settle!: (written: SessionState | undefined) => void;
    const mine = new Promise<SessionState | undefined>((resolve) => (settle = resolve));
    this.#chains.set(sessionKey, mine);
    let written: SessionState | undefined;
    try {
      const known = previous === undefined ? undefined : await previous;
      const base = known ?? loaded;
      const result = await this.#compareAndUpdate(sessionKey, base, known === undefined ? record : rebuild(known), rebuild);
      written = result.written;
      return result.sessionKey;
    } finally {
      settle(written);
      if (this.#chains.get(sessionKey) === mine) this.#chains.delete(sessionKey);
    }
  }

  async #compareAndUpdate(
    sessionKey: SessionKey,
    base: SessionState,
    record: SessionState,
    rebuild: RecordBuilder,
  ): Promise<{ sessionKey: SessionKey | null; written?: SessionState }> {
    const deadline = this.now() + WRITE_BUDGET.milliseconds;
    for (let attempt = 1; ; attempt++) {
      const result = await this.store.compareAndUpdate(sessionKey, base, record, this.ttlFor(record));
      if (result.outcome === 'updated') return { sessionKey: result.sessionKey, written: record };
      if (result.outcome === 'missing') return { sessionKey: null };
      if (sameRecord(result.current, base)) {
        // The store holds our base under another spelling (a record written by an older
        // version, or by actix-session ≤ 0.11): nobody else wrote, so overwrite it once.
        const next = await this.store.update(sessionKey, record, this.ttlFor(record));
        return next === null ? { sessionKey: null } : { sessionKey: next, written: record };
      }
      if (attempt >= WRITE_BUDGET.attempts || this.now() >= deadline) {
        throw new UpdateError('other', undefined, {
          cause: new Error(`Gave up after ${attempt} attempts: concurrent requests kept writing this session first`),
        });
      }
      base = result.current;
      record = rebuild(base);
    }
  }
}

/** Whether two states (metadata included) encode to the same record. */
function sameRecord(a: SessionState, b: SessionState): boolean {
  return a === b || serializeState(a) === serializeState(b);
}
