import { generateSessionKey } from '@sess/core';
import { canonical, stateOf } from '../json-samples.js';
import { itIf } from '../reported-skip.js';
import type { SuiteContext } from '../suite-context.js';

const TTL = 60;

/**
 * The optional `loadSync`: whenever it answers (not `undefined`), it agrees with `load`.
 *
 * @example
 * ```ts
 * loadSyncTests(ctx, capabilities.loadSync ?? false)
 * ```
 */
export function loadSyncTests(ctx: SuiteContext, implemented: boolean): void {
  describe('loadSync (optional)', () => {
    const test = itIf(implemented, 'the store has no loadSync');
    const errorOf = (error: unknown): unknown => ({ error: (error as object)?.constructor, kind: (error as { kind?: unknown }).kind });
    /** Same state, or the same error (class and `kind`), unless loadSync said "not now". */
    const agree = async (key: string): Promise<void> => {
      let sync: unknown;
      try {
        const state = ctx.store.loadSync?.(key);
        if (state === undefined) return;
        sync = { state: canonical(state) };
      } catch (error) {
        sync = errorOf(error);
      }
      const loaded = await ctx.store.load(key).then((state) => ({ state: canonical(state) }), errorOf);
      expect(sync).toEqual(loaded);
    };

    test('agrees with load for a saved state, and answers synchronously for it', async () => {
      const state = stateOf({ user: 'ferris', n: 1, nested: { list: [1, 'two', null] } });
      const key = await ctx.store.save(state, TTL);
      const sync = ctx.store.loadSync?.(key);
      expect(sync).not.toBeUndefined();
      expect(canonical(sync)).toBe(canonical(state));
      await agree(key);
    });

    test('agrees with load after an update and after a delete', async () => {
      const key = await ctx.store.save(stateOf({ n: 1 }), TTL);
      const updated = (await ctx.store.update(key, stateOf({ n: 2 }), TTL)) ?? key;
      await agree(updated);
      await ctx.store.delete(updated);
      await agree(updated);
    });

    test('agrees with load for a key that was never saved (null, or the same error)', async () => {
      await agree(generateSessionKey());
    });
  });
}
