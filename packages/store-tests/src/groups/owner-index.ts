import { withSessionMeta, type SessionKey, type SessionMeta, type SessionStore } from '@sess/core';
import { stateOf } from '../json-samples.js';
import { itIf } from '../reported-skip.js';
import type { SuiteContext } from '../suite-context.js';

const TTL = 60;

/**
 * The optional owner index (`listOwned` with `deleteOwned`): an owner's live sessions are
 * listed by their non-secret id and nobody else's; revoking by id deletes only that owner's
 * sessions; expired and deleted sessions drop out of the listing.
 *
 * @example
 * ```ts
 * ownerIndexTests(ctx, capabilities.ownerIndex ?? false, expires)
 * ```
 */
export function ownerIndexTests(ctx: SuiteContext, implemented: boolean, expires: boolean): void {
  describe('owner index (optional)', () => {
    const test = itIf(implemented, 'the store has no listOwned/deleteOwned');
    const owners = (): Required<Pick<SessionStore, 'listOwned' | 'deleteOwned'>> => ctx.store as Required<SessionStore>;
    // Owner ids of this test run only, so stores shared between tests list nothing else.
    const run = Math.random().toString(36).slice(2);
    const owner = (name: string): string => `${name}-${run}`;
    const saveOwned = (ownerId: string, id: string, ttl = TTL): Promise<SessionKey> => {
      const meta: SessionMeta = { owner: ownerId, id, created: 1_764_720_000, active: 1_764_720_600, details: { agent: 'test' } };
      return ctx.store.save(withSessionMeta(stateOf({ user: ownerId }), meta), ttl);
    };
    const listed = async (ownerId: string): Promise<string[]> => (await owners().listOwned(ownerId)).map((row) => row.id).sort();

    test("lists an owner's sessions by id with their metadata and expiry, and no one else's", async () => {
      const before = Date.now();
      const alice = owner('alice');
      await saveOwned(alice, 'a1');
      await saveOwned(alice, 'a2');
      const bobKey = await saveOwned(owner('bob'), 'b1');
      const rows = await owners().listOwned(alice);
      expect(rows.map((row) => row.id).sort()).toEqual(['a1', 'a2']);
      for (const row of rows) {
        expect(row.meta).toMatchObject({ owner: alice, created: 1_764_720_000, active: 1_764_720_600, details: { agent: 'test' } });
        expect(row.expiresAt).toBeGreaterThanOrEqual(before + (TTL - 2) * 1000);
        expect(row.expiresAt).toBeLessThanOrEqual(Date.now() + TTL * 1000 + 1000);
        // The listing never carries a session key.
        expect(JSON.stringify(row)).not.toContain(bobKey);
      }
      expect(await listed(owner('nobody'))).toEqual([]);
    });

    test("revokes by id: only that owner's sessions, only those ids", async () => {
      const alice = owner('alice');
      const bob = owner('bob');
      const a1 = await saveOwned(alice, 'a1');
      const a2 = await saveOwned(alice, 'a2');
      const b1 = await saveOwned(bob, 'b1');
      // Another owner's id, or an unknown one, deletes nothing.
      expect(await owners().deleteOwned(alice, ['b1', 'unknown'])).toBe(0);
      await ctx.expectLoads(b1, stateOf({ user: bob }));
      expect(await owners().deleteOwned(alice, ['a1'])).toBe(1);
      await ctx.expectGone(a1);
      await ctx.expectLoads(a2, stateOf({ user: alice }));
      expect(await listed(alice)).toEqual(['a2']);
      expect(await listed(bob)).toEqual(['b1']);
    });

    test('drops a session deleted through delete() from the listing (pruned)', async () => {
      const alice = owner('alice');
      const a1 = await saveOwned(alice, 'a1');
      await saveOwned(alice, 'a2');
      await ctx.store.delete(a1);
      expect(await listed(alice)).toEqual(['a2']);
      expect(await listed(alice)).toEqual(['a2']);
    });

    itIf(implemented && expires, implemented ? 'its states do not expire' : 'the store has no listOwned/deleteOwned')(
      'drops expired sessions from the listing (pruned)',
      async () => {
        const alice = owner('alice');
        await saveOwned(alice, 'short', 1);
        await saveOwned(alice, 'long');
        await ctx.elapse(2);
        expect(await listed(alice)).toEqual(['long']);
      },
    );
  });
}
