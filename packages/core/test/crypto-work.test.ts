import { CookieSessionStore, createSessionManager, Key, MemorySessionStore } from '../src/index.js';
import { BoundedCache } from '../src/bounded-cache.js';
import { pairOf } from './helpers.js';

// Web Crypto calls cost tens of microseconds on Node: the lifecycle avoids the ones whose result
// it already knows. These tests pin down when crypto work happens and that skipping it changes
// nothing a client can see.

function spyCrypto() {
  const spies = {
    decrypt: jest.spyOn(crypto.subtle, 'decrypt'),
    encrypt: jest.spyOn(crypto.subtle, 'encrypt'),
    sign: jest.spyOn(crypto.subtle, 'sign'),
    verify: jest.spyOn(crypto.subtle, 'verify'),
  };
  return {
    calls: () => Object.values(spies).reduce((n, spy) => n + spy.mock.calls.length, 0),
    reset: () => Object.values(spies).forEach((spy) => spy.mockClear()),
    restore: () => Object.values(spies).forEach((spy) => spy.mockRestore()),
  };
}

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
