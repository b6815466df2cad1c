import {
  browserSession,
  CookieSessionStore,
  createSessionManager,
  Key,
  persistentSession,
  SessionConfigError,
  type SessionOptions,
} from '../src/index.js';
import { parseCookie } from './helpers.js';

const base = (): SessionOptions => ({ store: new CookieSessionStore(), key: Key.generate() });

function configError(options: unknown): SessionConfigError {
  try {
    createSessionManager(options as SessionOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as SessionConfigError).code).toBe('INVALID_OPTIONS');
    return error as SessionConfigError;
  }
  throw new Error('expected a SessionConfigError');
}

async function firstCookie(options: SessionOptions): Promise<string> {
  const manager = createSessionManager(options);
  const rs = await manager.load(undefined);
  rs.session.insert('n', 1);
  return (await manager.commit(rs))[0]!;
}

describe('defaults are actix-session\'s', () => {
  test('name id, Secure, HttpOnly, SameSite=Lax, Path=/, no Domain, no Max-Age (browser session)', async () => {
    const cookie = parseCookie(await firstCookie(base()));
    expect(cookie).toMatchObject({ name: 'id', secure: true, httpOnly: true, sameSite: 'lax', path: '/' });
    expect(cookie.domain).toBeUndefined();
    expect(cookie.maxAge).toBeUndefined();
    expect(cookie.expires).toBeUndefined();
  });

  test('persistentSession() gives Max-Age of one day; browserSession() a state TTL of one day', () => {
    expect(persistentSession()).toEqual({ kind: 'persistent', sessionTtlSeconds: 86_400, extensionPolicy: 'on-state-changes' });
    expect(browserSession()).toEqual({ kind: 'browser', stateTtlSeconds: 86_400, extensionPolicy: 'on-state-changes' });
  });

  test('every cookie option is written', async () => {
    const cookie = parseCookie(
      await firstCookie({
        ...base(),
        cookie: { name: 'sid', secure: false, httpOnly: false, sameSite: 'strict', path: '/app', domain: 'example.com' },
        lifecycle: persistentSession({ sessionTtlSeconds: 3600 }),
      }),
    );
    expect(cookie).toMatchObject({ name: 'sid', sameSite: 'strict', path: '/app', domain: 'example.com', maxAge: 3600 });
    expect(cookie.secure).toBeUndefined();
    expect(cookie.httpOnly).toBeUndefined();
  });

  test('Secure is written whatever the request protocol (there is no request here at all)', async () => {
    expect(await firstCookie(base())).toContain('; Secure');
  });
});

describe('bad configuration fails at creation, naming the option', () => {
  test.each([
    ['no options', undefined, 'options'],
    ['no store', { key: Key.generate() }, 'store'],
    ['a store without delete()', { store: { load() {}, save() {}, update() {}, updateTtl() {} }, key: Key.generate() }, 'store'],
    ['no key', { store: new CookieSessionStore() }, 'key'],
    ['a raw byte array as key', { store: new CookieSessionStore(), key: new Uint8Array(64) }, 'key'],
    ['an empty key list', { store: new CookieSessionStore(), key: [] }, 'key'],
    ['a non-Key in the key list', { store: new CookieSessionStore(), key: [Key.generate(), 'secret'] }, 'key[1]'],
    ['an unknown option', { ...base(), maxAge: 10 }, 'maxAge'],
    ['an unknown cookie option', { ...base(), cookie: { maxAge: 10 } }, 'cookie.maxAge'],
    ['SameSite=None without Secure', { ...base(), cookie: { sameSite: 'none', secure: false } }, 'cookie.sameSite'],
    ['a bad SameSite', { ...base(), cookie: { sameSite: 'sometimes' } }, 'cookie.sameSite'],
    ['a __Host- name with a Domain', { ...base(), cookie: { name: '__Host-id', domain: 'example.com' } }, 'cookie.domain'],
    ['a __Host- name with a Path other than /', { ...base(), cookie: { name: '__Host-id', path: '/app' } }, 'cookie.path'],
    ['a __Host- name without Secure', { ...base(), cookie: { name: '__Host-id', secure: false } }, 'cookie.secure'],
    ['a __Secure- name without Secure', { ...base(), cookie: { name: '__Secure-id', secure: false } }, 'cookie.secure'],
    ['a control character in the name', { ...base(), cookie: { name: 'id\u0001' } }, 'cookie.name'],
    ['a ; in the name', { ...base(), cookie: { name: 'id;x' } }, 'cookie.name'],
    ['an = in the name', { ...base(), cookie: { name: 'a=b' } }, 'cookie.name'],
    ['an empty name', { ...base(), cookie: { name: '' } }, 'cookie.name'],
    ['a ; in the path', { ...base(), cookie: { path: '/a;b' } }, 'cookie.path'],
    ['a control character in the path', { ...base(), cookie: { path: '/a\nb' } }, 'cookie.path'],
    ['a relative path', { ...base(), cookie: { path: 'app' } }, 'cookie.path'],
    ['a ; in the domain', { ...base(), cookie: { domain: 'example.com;x' } }, 'cookie.domain'],
    ['a control character in the domain', { ...base(), cookie: { domain: 'exa\tmple.com' } }, 'cookie.domain'],
    ['a bad content security', { ...base(), cookie: { contentSecurity: 'encrypted' } }, 'cookie.contentSecurity'],
    ['a non-boolean secure', { ...base(), cookie: { secure: 'yes' } }, 'cookie.secure'],
    ['a hand-made lifecycle', { ...base(), lifecycle: { kind: 'forever' } }, 'lifecycle'],
    ['a non-function onEvent', { ...base(), onEvent: 'log' }, 'onEvent'],
  ])('%s', (_label, options, option) => {
    const error = configError(options);
    expect(error.option).toBe(option);
    expect(error.message.startsWith(`${option}: `)).toBe(true);
  });

  test.each([
    ['zero', () => browserSession({ stateTtlSeconds: 0 }), 'lifecycle.stateTtlSeconds'],
    ['a fraction', () => persistentSession({ sessionTtlSeconds: 1.5 }), 'lifecycle.sessionTtlSeconds'],
    ['a bad policy', () => persistentSession({ extensionPolicy: 'always' as never }), 'lifecycle.extensionPolicy'],
  ])('lifecycle with %s', (_label, make, option) => {
    expect(make).toThrow(SessionConfigError);
    try {
      make();
    } catch (error) {
      expect((error as SessionConfigError).option).toBe(option);
    }
  });

  test('the caller\'s options object is not mutated and the resolved one is frozen', () => {
    const options = { ...base(), cookie: { name: 'sid' } };
    const snapshot = JSON.stringify(options.cookie);
    createSessionManager(options);
    expect(JSON.stringify(options.cookie)).toBe(snapshot);
    expect(Object.isFrozen(persistentSession())).toBe(true);
  });

  test('SameSite is case-insensitive', async () => {
    expect(parseCookie(await firstCookie({ ...base(), cookie: { sameSite: 'Strict' as never } })).sameSite).toBe('strict');
  });
});
