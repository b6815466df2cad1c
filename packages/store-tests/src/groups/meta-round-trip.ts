import { serializeState, sessionMetaOf, withSessionMeta, type SessionMeta } from '@sess/core';
import { stateOf } from '../json-samples.js';
import { itIf } from '../reported-skip.js';
import type { SuiteContext } from '../suite-context.js';

const TTL = 60;
const META: SessionMeta = {
  created: 1_764_720_000,
  active: 1_764_723_600,
  owner: 'user-42',
  details: { agent: 'Mozilla/5.0', ip: '203.0.113.7', tags: ['a', 'b'] },
  id: 'Vt3listing-id',
};

/**
 * The metadata @sess/core attaches to a state (timeouts, owner: the record's `meta` member)
 * survives every write: what loads serialises byte for byte as what was written.
 *
 * @example
 * ```ts
 * metaRoundTripTests(ctx, capabilities.compareAndUpdate ?? false)
 * ```
 */
export function metaRoundTripTests(ctx: SuiteContext, compareAndUpdate: boolean): void {
  describe('metadata', () => {
    const written = () => withSessionMeta(stateOf({ user: 'ferris', n: 1 }), { ...META });

    it('a state with metadata survives save and load byte for byte', async () => {
      const key = await ctx.store.save(written(), TTL);
      const loaded = await ctx.store.load(key);
      expect(loaded).not.toBeNull();
      expect(sessionMetaOf(loaded!)).toEqual(META);
      expect(serializeState(loaded!)).toBe(serializeState(written()));
    });

    it('survives update, and an update without metadata removes it', async () => {
      const key = await ctx.store.save(stateOf({ n: 0 }), TTL);
      const updated = (await ctx.store.update(key, written(), TTL)) ?? key;
      const loaded = await ctx.store.load(updated);
      expect(serializeState(loaded!)).toBe(serializeState(written()));
      const cleared = (await ctx.store.update(updated, stateOf({ n: 2 }), TTL)) ?? updated;
      expect(sessionMetaOf((await ctx.store.load(cleared))!)).toBeUndefined();
    });

    itIf(compareAndUpdate, 'the store has no compareAndUpdate')('survives compareAndUpdate, and comes back with a conflict', async () => {
      const store = ctx.store as Required<typeof ctx.store>;
      const key = await ctx.store.save(written(), TTL);
      const loaded = (await ctx.store.load(key))!;
      const next = withSessionMeta(stateOf({ user: 'ferris', n: 2 }), { ...META, active: META.active! + 60 });
      const result = await store.compareAndUpdate(key, loaded, next, TTL);
      expect(result.outcome).toBe('updated');
      if (result.outcome !== 'updated') return;
      expect(serializeState((await ctx.store.load(result.sessionKey))!)).toBe(serializeState(next));
      const conflict = await store.compareAndUpdate(result.sessionKey, loaded, written(), TTL);
      expect(conflict.outcome).toBe('conflict');
      if (conflict.outcome === 'conflict') expect(serializeState(conflict.current)).toBe(serializeState(next));
    });
  });
}
