import {
  browserSession,
  CookieSessionStore,
  createSessionManager,
  Key,
  MemorySessionStore,
  persistentSession,
  type RequestSession,
  type Session,
  type SessionLifecycle,
  type SessionStore,
} from '../src/index.js';
import { hideBuiltinModules } from './crypto-backend.js';
import { pairOf, RecordingStore } from './helpers.js';

// The synchronous answers adapters take on the hot path (`load` without a promise,
// `rs.onCommitNeeded`) must never change what a request persists: whenever they say "nothing to
// do", the full lifecycle agrees, store calls and Set-Cookie values included.

const oldKey = Key.generate();
const key = Key.generate();

const lifecycles: [string, SessionLifecycle][] = [
  ['browser, on-state-changes', browserSession()],
  ['browser, on-every-request', browserSession({ extensionPolicy: 'on-every-request' })],
  ['persistent, on-state-changes', persistentSession()],
  ['persistent, on-every-request', persistentSession({ extensionPolicy: 'on-every-request' })],
];

const actions: [string, (s: Session) => void][] = [
  ['nothing', () => {}],
  ['a read', (s) => void s.get('n')],
  ['insert', (s) => s.insert('n', 2)],
  ['update', (s) => s.update<number>('n', (n) => n + 1)],
  ['updateOr', (s) => s.updateOr('n', 1, (n: number) => n + 1)],
  ['remove', (s) => void s.remove('n')],
  ['insert then remove', (s) => (s.insert('m', 1), void s.remove('m'))],
  ['clear', (s) => s.clear()],
  ['purge', (s) => s.purge()],
  ['renew', (s) => s.renew()],
  ['renew then purge', (s) => (s.renew(), s.purge())],
];

/** The cookies a request can arrive with, issued by managers sharing `inner`. */
async function cookies(
  inner: SessionStore,
  lifecycle: SessionLifecycle,
): Promise<{ cookie: string | undefined; hasKey: boolean; rotated: boolean }[]> {
  const issue = async (k: Key) => {
    let sessionKey = '';
    const capturing: SessionStore = {
      load: (sk) => inner.load(sk),
      save: async (state, ttl) => (sessionKey = await inner.save(state, ttl)),
      update: (sk, state, ttl) => inner.update(sk, state, ttl),
      updateTtl: (sk, ttl) => inner.updateTtl(sk, ttl),
      delete: (sk) => inner.delete(sk),
    };
    const m = createSessionManager({ store: capturing, key: k, lifecycle });
    const rs = await m.load(undefined);
    rs.session.insert('n', 1);
    return { cookie: pairOf((await m.commit(rs))[0]!), sessionKey };
  };
  const valid = await issue(key);
  const rotated = await issue(oldKey);
  const expired = await issue(key);
  await inner.delete(expired.sessionKey);
  const without = { hasKey: false, rotated: false };
  return [
    { cookie: undefined, ...without },
    { cookie: 'theme=dark; lang=en', ...without },
    { cookie: `id=${'A'.repeat(66)}`, ...without },
    { cookie: `id=${'A'.repeat(5000)}`, ...without },
    { cookie: valid.cookie, hasKey: true, rotated: false },
    { cookie: rotated.cookie, hasKey: true, rotated: true },
    { cookie: expired.cookie, ...without },
  ];
}

describe.each(lifecycles)('%s', (label, lifecycle) => {
  test.each(actions)(
    'onCommitNeeded is called exactly when commit may have work, and when it stays silent commit sends no cookie and calls no store method (handler does %s)',
    async (action, handler) => {
      const inner = new MemorySessionStore();
      // `update` of an absent key does nothing; every other write changes the status.
      const mutates = (hasState: boolean) => action !== 'nothing' && action !== 'a read' && (action !== 'update' || hasState);
      const everyRequest = label.endsWith('on-every-request');
      for (const { cookie, hasKey, rotated } of await cookies(inner, lifecycle)) {
        const store = new RecordingStore(inner);
        const manager = createSessionManager({ store, key: [key, oldKey], lifecycle });
        const rs = await manager.load(cookie);
        let calls = 0;
        rs.onCommitNeeded(() => calls++);
        handler(rs.session);
        expect({ cookie, calls }).toEqual({ cookie, calls: mutates(hasKey) || (hasKey && (everyRequest || rotated)) ? 1 : 0 });
        store.reset();
        const setCookies = await manager.commit(rs, { status: 200 });
        if (calls === 0) expect({ cookie, setCookies, ops: store.ops }).toEqual({ cookie, setCookies: [], ops: [] });
      }
    },
  );
});

describe('onCommitNeeded', () => {
  test('is called once, at the first change, and not for reads', async () => {
    const manager = createSessionManager({ store: new MemorySessionStore(), key });
    const rs = await manager.load(undefined);
    const order: string[] = [];
    rs.onCommitNeeded(() => order.push(`called while ${rs.session.status}`));
    rs.session.get('n');
    rs.session.containsKey('n');
    rs.session.entries();
    expect(order).toEqual([]);
    rs.session.insert('n', 1);
    rs.session.renew();
    rs.session.purge();
    expect(order).toEqual(['called while changed']);
  });

  test('is called at once for a session that already changed, a rotated key and on-every-request', async () => {
    const inner = new MemorySessionStore();
    const issue = async (k: Key) => {
      const m = createSessionManager({ store: inner, key: k });
      const rs = await m.load(undefined);
      rs.session.insert('n', 1);
      return pairOf((await m.commit(rs))[0]!);
    };
    const plain = createSessionManager({ store: inner, key });
    const changed = await plain.load(undefined);
    changed.session.insert('n', 1);
    const rotated = createSessionManager({ store: inner, key: [key, oldKey] });
    const every = createSessionManager({ store: inner, key, lifecycle: browserSession({ extensionPolicy: 'on-every-request' }) });
    const cases = [
      [plain, changed],
      [rotated, await rotated.load(await issue(oldKey))],
      [every, await every.load(await issue(key))],
    ] as const;
    for (const [, rs] of cases) {
      let calls = 0;
      rs.onCommitNeeded(() => calls++);
      expect(calls).toBe(1);
    }
  });

  test('a request session is committed only by the manager that loaded it', async () => {
    const a = createSessionManager({ store: new MemorySessionStore(), key });
    const b = createSessionManager({ store: new MemorySessionStore(), key });
    const rs = await a.load(undefined);
    await expect(b.commit(rs)).rejects.toMatchObject({ code: 'MISUSE' });
  });
});

describe('load without a promise', () => {
  test('answers at once, without the codec or the store, when there is no session cookie, or one rejected before any crypto', () => {
    const store = new RecordingStore(new MemorySessionStore());
    const events: unknown[] = [];
    const manager = createSessionManager({ store, key, onEvent: (e) => events.push(e) });
    for (const header of [undefined, null, '', 'theme=dark']) {
      const rs = manager.load(header);
      expect(rs).not.toBeInstanceOf(Promise);
      expect((rs as RequestSession).session.status).toBe('unchanged');
      expect((rs as RequestSession).session.entries()).toEqual({});
    }
    expect(manager.load(`id=${'A'.repeat(5000)}`)).not.toBeInstanceOf(Promise);
    expect(events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'oversize' }]);
    expect(store.ops).toEqual([]);
  });

  test('a store without loadSync is always asked through load, once per request', async () => {
    const store = new RecordingStore(new MemorySessionStore());
    const events: unknown[] = [];
    const manager = createSessionManager({ store, key, onEvent: (e) => events.push(e) });
    const rs = await manager.load(undefined);
    rs.session.insert('n', 1);
    const cookie = pairOf((await manager.commit(rs))[0]!);
    store.reset();
    const pending = manager.load(cookie);
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).session.get('n')).toBe(1);
    expect(events).toEqual([]);
    expect(store.ops).toEqual(['load']);
  });
});

describe('load without a promise, with the in-process stores (loadSync)', () => {
  const issue = async (manager: ReturnType<typeof createSessionManager>) => {
    const rs = await manager.load(undefined);
    rs.session.insert('n', 1);
    return pairOf((await manager.commit(rs))[0]!);
  };

  test.each([
    ['MemorySessionStore', () => new MemorySessionStore()],
    ['CookieSessionStore', () => new CookieSessionStore()],
  ])('%s: a cookie opened before loads at once, with the same state as an awaited load', async (_name, make) => {
    const manager = createSessionManager({ store: make(), key });
    const cookie = await issue(manager);
    const now = manager.load(cookie);
    expect(now).not.toBeInstanceOf(Promise);
    expect((now as RequestSession).session.get('n')).toBe(1);
    expect((await manager.load(cookie)).session.entries()).toEqual((now as RequestSession).session.entries());
    // A value never opened needs the codec, which Web Crypto answers with a promise (workerd,
    // browsers: no process.getBuiltinModule).
    const restore = hideBuiltinModules();
    try {
      expect(createSessionManager({ store: make(), key }).load(cookie)).toBeInstanceOf(Promise);
    } finally {
      restore();
    }
  });

  test.each([
    ['MemorySessionStore', () => new MemorySessionStore()],
    ['CookieSessionStore', () => new CookieSessionStore()],
  ])('%s: a cookie never opened before loads at once where the runtime has node:crypto, with the same state as an awaited load', async (_name, make) => {
    const store = make();
    const cookie = await issue(createSessionManager({ store, key }));
    // A fresh manager (another process, say): nothing is cached, the codec opens the value.
    const now = createSessionManager({ store, key }).load(cookie);
    expect(now).not.toBeInstanceOf(Promise);
    expect((now as RequestSession).session.get('n')).toBe(1);
    const restore = hideBuiltinModules();
    let awaited: RequestSession;
    try {
      awaited = await createSessionManager({ store, key }).load(cookie);
    } finally {
      restore();
    }
    expect(awaited.session.entries()).toEqual((now as RequestSession).session.entries());
  });

  test('a subclass that overrides load is always called through it', async () => {
    let loads = 0;
    class CountingStore extends MemorySessionStore {
      override async load(sessionKey: string) {
        loads += 1;
        return super.load(sessionKey);
      }
    }
    const manager = createSessionManager({ store: new CountingStore(), key });
    const cookie = await issue(manager);
    const pending = manager.load(cookie);
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).session.get('n')).toBe(1);
    expect(loads).toBe(1);
  });

  test('an own load on the instance (a spy) is honoured too', async () => {
    const store = new MemorySessionStore();
    const manager = createSessionManager({ store, key });
    const cookie = await issue(manager);
    const spied = jest.spyOn(store, 'load');
    expect(manager.load(cookie)).toBeInstanceOf(Promise);
    expect(spied).toHaveBeenCalledTimes(1);
  });

  test('an expired state loads as a fresh session, a rotated key is reported, as with an awaited load', async () => {
    let now = 0;
    const store = new MemorySessionStore({ now: () => now });
    const events: unknown[] = [];
    const old = createSessionManager({ store, key: oldKey });
    const cookie = await issue(old);
    const rotated = createSessionManager({ store, key: [key, oldKey], onEvent: (e) => events.push(e) });
    await rotated.load(cookie);
    events.length = 0;
    const loaded = rotated.load(cookie);
    expect(loaded).not.toBeInstanceOf(Promise);
    expect((loaded as RequestSession).session.get('n')).toBe(1);
    expect(events).toEqual([{ type: 'key-rotated', cookieName: 'id', keyIndex: 1 }]);
    now = 2 * 86_400_000;
    const expired = rotated.load(cookie) as RequestSession;
    expect(expired.session.entries()).toEqual({});
    expect(events).toContainEqual({ type: 'state-missing', cookieName: 'id', phase: 'load' });
  });
});
