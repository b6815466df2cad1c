import { CookieSessionStore, createSessionManager, Key, MemorySessionStore } from '../src/index.js';
import { BoundedCache } from '../src/bounded-cache.js';
import { CRYPTO_BACKENDS, useCryptoBackend } from './crypto-backend.js';
import { pairOf } from './helpers.js';

// A crypto call costs a few microseconds with node:crypto and tens with Web Crypto on Node: the
// lifecycle avoids the ones whose result it already knows. These tests pin down when crypto work
// happens, on both backends, and that skipping it changes nothing a client can see.

// The module object itself, which the node:crypto codec calls through (taken before any test
// hides getBuiltinModule).
const node = process.getBuiltinModule('node:crypto');

function spyCrypto() {
  const spies = [
    jest.spyOn(crypto.subtle, 'decrypt'),
    jest.spyOn(crypto.subtle, 'encrypt'),
    jest.spyOn(crypto.subtle, 'sign'),
    jest.spyOn(crypto.subtle, 'verify'),
    jest.spyOn(node, 'createCipheriv'),
    jest.spyOn(node, 'createDecipheriv'),
    jest.spyOn(node, 'createHmac'),
  ];
  return {
    calls: () => spies.reduce((n, spy) => n + spy.mock.calls.length, 0),
    /** Calls to Web Crypto, then to node:crypto. */
    split: () => [spies.slice(0, 4), spies.slice(4)].map((group) => group.reduce((n, spy) => n + spy.mock.calls.length, 0)),
    reset: () => spies.forEach((spy) => spy.mockClear()),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

describe.each(CRYPTO_BACKENDS)('%s', (backend) => {
  useCryptoBackend(backend);
  describe.each(['private', 'signed'] as const)('crypto work, %s', (mode) => {
    let spy: ReturnType<typeof spyCrypto>;
    beforeEach(() => (spy = spyCrypto()));
    afterEach(() => spy.restore());

    test('a cookie is opened once; later requests with the same value skip the crypto', async () => {
      const key = Key.generate();
      const issuer = createSessionManager({ store: new CookieSessionStore(), key, cookie: { contentSecurity: mode } });
      const rs = await issuer.load(undefined);
      rs.session.insert('n', 1);
      const cookie = pairOf((await issuer.commit(rs))[0]!);

      // A second manager (another process, say) has never seen the value.
      const reader = createSessionManager({ store: new CookieSessionStore(), key, cookie: { contentSecurity: mode } });
      spy.reset();
      expect((await reader.load(cookie)).session.get('n')).toBe(1);
      expect(spy.calls()).toBe(1);
      for (let i = 0; i < 5; i++) expect((await reader.load(cookie)).session.get('n')).toBe(1);
      expect(spy.calls()).toBe(1);
    });

    test('the work goes to the backend in use, and only to it', async () => {
      const manager = createSessionManager({ store: new CookieSessionStore(), key: Key.generate(), cookie: { contentSecurity: mode } });
      const rs = await manager.load(undefined);
      rs.session.insert('n', 1);
      await manager.commit(rs);
      const [web, nodeCalls] = spy.split();
      expect({ web: web! > 0, node: nodeCalls! > 0 }).toEqual({ web: backend === 'Web Crypto', node: backend === 'node:crypto' });
    });

    test('a cookie this manager issued opens without crypto work', async () => {
      const manager = createSessionManager({ store: new MemorySessionStore(), key: Key.generate(), cookie: { contentSecurity: mode } });
      const rs = await manager.load(undefined);
      rs.session.insert('n', 1);
      const cookie = pairOf((await manager.commit(rs))[0]!);
      spy.reset();
      expect((await manager.load(cookie)).session.get('n')).toBe(1);
      expect(spy.calls()).toBe(0);
    });

    test('a write that keeps the store key re-sends the incoming cookie unchanged, without sealing again', async () => {
      const manager = createSessionManager({ store: new MemorySessionStore(), key: Key.generate(), cookie: { contentSecurity: mode } });
      const first = await manager.load(undefined);
      first.session.insert('n', 1);
      const cookie = pairOf((await manager.commit(first))[0]!);
      spy.reset();
      const second = await manager.load(cookie);
      second.session.insert('n', 2);
      const [header] = await manager.commit(second);
      expect(pairOf(header!)).toBe(cookie);
      expect(spy.calls()).toBe(0);
      expect((await manager.load(cookie)).session.get('n')).toBe(2);
    });

    test('a tampered copy of a remembered value is still rejected', async () => {
      const manager = createSessionManager({ store: new CookieSessionStore(), key: Key.generate(), cookie: { contentSecurity: mode } });
      const rs = await manager.load(undefined);
      rs.session.insert('admin', false);
      const cookie = pairOf((await manager.commit(rs))[0]!);
      await manager.load(cookie);
      const flipped = cookie.slice(0, -1) + (cookie.endsWith('A') ? 'B' : 'A');
      expect((await manager.load(flipped)).session.entries()).toEqual({});
    });
  });
});
test('BoundedCache keeps at most its capacity, dropping the oldest first', () => {
  const cache = new BoundedCache<number, string>(3);
  for (let i = 0; i < 10; i++) cache.set(i, String(i));
  expect(cache.size).toBe(3);
  expect(cache.get(6)).toBeUndefined();
  expect([cache.get(7), cache.get(8), cache.get(9)]).toEqual(['7', '8', '9']);
  cache.set(9, 'nine');
  expect(cache.size).toBe(3);
  expect(cache.get(9)).toBe('nine');
});
