import type { SessionState } from '@sess/core';
import { canonical, stateOf } from '../json-samples.js';
import { itIf } from '../reported-skip.js';
import type { SuiteContext } from '../suite-context.js';

const TTL = 60;

/**
 * The optional `compareAndUpdate`: it replaces the state only when the stored one still equals
 * what the caller loaded, resets the TTL with the value, never recreates a missing record, and
 * lets exactly one of several concurrent callers win.
 *
 * @example
 * ```ts
 * compareAndUpdateTests(ctx, capabilities.compareAndUpdate ?? false, invalidates)
 * ```
 */
export function compareAndUpdateTests(ctx: SuiteContext, implemented: boolean, invalidates: boolean): void {
  describe('compareAndUpdate (optional)', () => {
    const test = itIf(implemented, 'the store has no compareAndUpdate');
    const cas = (key: string, expected: SessionState, state: SessionState, ttl = TTL) =>
      (ctx.store.compareAndUpdate as NonNullable<typeof ctx.store.compareAndUpdate>).call(ctx.store, key, expected, state, ttl);

    test('updates when the stored state still equals the expected one, under a key that loads the new state', async () => {
      const loaded = stateOf({ n: 1, user: 'ferris' });
      const key = await ctx.store.save(loaded, TTL);
      const result = await cas(key, loaded, stateOf({ n: 2, user: 'ferris' }));
      expect(result.outcome).toBe('updated');
      if (result.outcome === 'updated') await ctx.expectLoads(result.sessionKey, stateOf({ n: 2, user: 'ferris' }));
    });

    test('detects a conflict: another write came first; it keeps that write and reports it as current', async () => {
      const loaded = stateOf({ n: 1 });
      const key = await ctx.store.save(loaded, TTL);
      const winner = (await ctx.store.update(key, stateOf({ n: 5 }), TTL)) ?? key;
      const result = await cas(winner, loaded, stateOf({ n: 2 }));
      expect(result.outcome).toBe('conflict');
      if (result.outcome === 'conflict') expect(canonical(result.current)).toBe(canonical(stateOf({ n: 5 })));
      await ctx.expectLoads(winner, stateOf({ n: 5 }));
    });

    itIf(implemented && invalidates, implemented ? 'its records cannot be removed' : 'the store has no compareAndUpdate')(
      'reports a deleted record as missing and never recreates it',
      async () => {
        const loaded = stateOf({ n: 1 });
        const key = await ctx.store.save(loaded, TTL);
        await ctx.store.delete(key);
        expect(await cas(key, loaded, stateOf({ n: 2 }))).toEqual({ outcome: 'missing' });
        await ctx.expectGone(key);
      },
    );

    test('resets the TTL atomically with the value', async () => {
      const loaded = stateOf({ n: 1 });
      const key = await ctx.store.save(loaded, 2);
      const result = await cas(key, loaded, stateOf({ n: 2 }), TTL);
      expect(result.outcome).toBe('updated');
      if (result.outcome !== 'updated') return;
      await ctx.expectTtlNear(result.sessionKey, TTL);
      // Past the old TTL, the new state is still there.
      await ctx.elapse(3);
      await ctx.expectLoads(result.sessionKey, stateOf({ n: 2 }));
    });

    test('lets exactly one of 16 concurrent callers with the same expected state win', async () => {
      const loaded = stateOf({ n: 0 });
      const key = await ctx.store.save(loaded, TTL);
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => cas(key, loaded, stateOf({ n: i + 1 }))));
      const winners = results.flatMap((result, i) => (result.outcome === 'updated' ? [{ i, key: result.sessionKey }] : []));
      expect(winners).toHaveLength(1);
      expect(results.filter((result) => result.outcome === 'conflict')).toHaveLength(15);
      const [winner] = winners;
      await ctx.expectLoads(winner!.key, stateOf({ n: winner!.i + 1 }));
    });
  });
}
