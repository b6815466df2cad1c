import { Key, serializeState, type SessionKey, type SessionState, type SessionStore } from '@sess/core';
import { ADAPTERS, send, sessionCookie } from '@sess/test-harness';
import { cells, MODES, serverPool } from '../src/matrix.js';
import { createBarrier } from '../src/gate.js';
import { ECHO, PUT, writeRoute } from '../src/routes.js';
import { openCookie } from '../src/sealing.js';
import { COOKIE_FIXTURE, MEMORY_FIXTURE, redisFixture } from '../src/stores.js';

// 50 requests write to one session at the same time. The documented contract (SECURITY.md, the
// SessionStore TSDoc) is last write wins: every request succeeds, and the stored state is exactly
// one writer's full state (what it loaded plus its own changes), never a torn or merged record.

const redis = redisFixture('sess-security:concurrent-writes:');
const servers = serverPool();
const WRITERS = 50;
const BASE = { base: 'loaded by every writer', user: 'ferris' };

beforeAll(() => redis.open());
afterAll(() => redis.close());

/** The full state writer `i` computes: what it loaded plus its own two keys (see `writeRoute`). */
function stateOf(writer: number): string {
  const state = Object.assign(Object.create(null) as SessionState, BASE, {
    writer,
    [`w${writer}`]: { by: writer, payload: `written by ${writer} `.repeat(4) },
  });
  return serializeState(state);
}

/** Records, in call order, which writer's state each `update` carried. */
function recordingUpdates(inner: SessionStore): { store: SessionStore; writers: number[] } {
  const writers: number[] = [];
  const store: SessionStore = {
    load: (key) => inner.load(key),
    save: (state, ttl) => inner.save(state, ttl),
    update: (key: SessionKey, state, ttl) => {
      writers.push(state.writer as number);
      return inner.update(key, state, ttl);
    },
    updateTtl: (key, ttl) => inner.updateTtl(key, ttl),
    delete: (key) => inner.delete(key),
  };
  return { store, writers };
}

describe.each(cells(ADAPTERS, [COOKIE_FIXTURE, MEMORY_FIXTURE, redis], MODES))('$label', ({ adapter, store, mode }) => {
  test(`${WRITERS} parallel writes to one session: all succeed, and the result is exactly one writer's full state (last write wins, nothing torn or merged)`, async () => {
    const handle = await store.fresh();
    const recorded = recordingUpdates(handle.store);
    const key = Key.generate();
    const server = await servers.start(adapter, [ECHO, PUT, writeRoute(createBarrier(WRITERS))], { store: recorded.store, key, cookie: { contentSecurity: mode } });
    const cookie = sessionCookie(await send(`${server.url}/put`, { method: 'POST', body: JSON.stringify(BASE) }), 'id')!;
    const sessionKey = await openCookie(key, mode, cookie);

    // Every writer loads the same state; then each waits a different time before writing.
    const replies = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => send(`${server.url}/write?writer=${i}&delayMs=${(i * 7) % 23}`, { method: 'POST', cookie })),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array<number>(WRITERS).fill(200));
    replies.forEach((reply, i) => expect(serializeState(JSON.parse(reply.body) as SessionState)).toBe(stateOf(i)));
    expect(recorded.writers).toHaveLength(WRITERS);

    if (store.serverSide) {
      // One session, one record: the key never changes, and the record is the last update's state.
      for (const reply of replies) expect(sessionCookie(reply, 'id')).toBe(cookie);
      const records = await handle.held();
      expect([...records.keys()]).toEqual([sessionKey]);
      const last = recorded.writers.at(-1)!;
      expect(records.get(sessionKey!)).toBe(stateOf(last));
      const final = JSON.parse((await send(`${server.url}/echo`, { cookie })).body) as SessionState;
      expect(serializeState(final)).toBe(stateOf(last));
      expect(Object.keys(final).filter((name) => /^w\d+$/.test(name))).toEqual([`w${last}`]);
    } else {
      // The state travels in each response's cookie: each one holds exactly its own writer's state,
      // and whichever the browser keeps last is a complete state.
      const plaintexts = await Promise.all(replies.map((reply) => openCookie(key, mode, sessionCookie(reply, 'id')!)));
      plaintexts.forEach((plaintext, i) => expect(plaintext).toBe(stateOf(i)));
    }
  });
});
