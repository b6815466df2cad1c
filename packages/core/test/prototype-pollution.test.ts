import { CookieSessionStore, createSessionManager, Key, MemorySessionStore, Session, type SessionStore } from '../src/index.js';
import { pairOf } from './helpers.js';

// State whose keys are `__proto__`, `constructor` or `prototype` is ordinary data everywhere:
// in the session, through serialisation, through each store and back.

const hostile = JSON.parse(
  '{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}},"prototype":1,"nested":{"__proto__":{"polluted":"yes"}}}',
) as Record<string, unknown>;

afterEach(() => {
  // Nothing reached Object.prototype.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
});

test('Session stores and returns __proto__, constructor and prototype keys as data', () => {
  const session = new Session();
  for (const [key, value] of Object.entries(hostile)) session.insert(key, value);
  expect(session.containsKey('__proto__')).toBe(true);
  expect(session.get('__proto__')).toEqual({ polluted: 'yes', isAdmin: true });
  expect(session.get<Record<string, unknown>>('nested')!.__proto__).toEqual({ polluted: 'yes' });
  expect(Object.keys(session.entries())).toEqual(['__proto__', 'constructor', 'prototype', 'nested']);
  // An absent key is not found on the prototype chain either.
  expect(new Session().get('toString')).toBeUndefined();
  expect(new Session().containsKey('hasOwnProperty')).toBe(false);
});

test('an inserted value with an own __proto__ key is copied as data, not as a prototype', () => {
  const session = new Session();
  session.insert('user', hostile);
  const user = session.get<Record<string, unknown>>('user')!;
  expect(Object.getPrototypeOf(user)).toBe(Object.prototype);
  expect(Object.hasOwn(user, '__proto__')).toBe(true);
  expect((user as { isAdmin?: unknown }).isAdmin).toBeUndefined();
});

describe.each<[string, () => SessionStore]>([
  ['cookie store', () => new CookieSessionStore()],
  ['memory store', () => new MemorySessionStore()],
])('round trip through the lifecycle, %s', (_name, makeStore) => {
  test.each(['private', 'signed'] as const)('%s', async (mode) => {
    const manager = createSessionManager({ store: makeStore(), key: Key.generate(), cookie: { contentSecurity: mode } });
    const first = await manager.load(undefined);
    for (const [key, value] of Object.entries(hostile)) first.session.insert(key, value);
    const [header] = await manager.commit(first);
    const second = await manager.load(pairOf(header!));
    expect(second.session.entries()).toEqual(
      Object.fromEntries(Object.entries(hostile)),
    );
    expect(Object.keys(second.session.entries())).toEqual(['__proto__', 'constructor', 'nested', 'prototype']);
    expect((second.session.get('__proto__') as { isAdmin: boolean }).isAdmin).toBe(true);
    await manager.commit(second);
  });
});
