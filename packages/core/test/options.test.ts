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
    ['a hand-made lifecycle of an unknown kind', { ...base(), lifecycle: { kind: 'forever' } }, 'lifecycle.kind'],
    ['a lifecycle that is not an object', { ...base(), lifecycle: 'persistent' }, 'lifecycle'],
    ['a null lifecycle', { ...base(), lifecycle: null }, 'lifecycle'],
    ['a non-function onEvent', { ...base(), onEvent: 'log' }, 'onEvent'],
  ])('%s', (_label, options, option) => {
    const error = configError(options);
    expect(error.option).toBe(option);
    expect(error.message.startsWith(`${option}: `)).toBe(true);
  });

  test.each([
    ['zero', () => browserSession({ stateTtlSeconds: 0 }), 'lifecycle.stateTtlSeconds'],
    ['a negative TTL', () => persistentSession({ sessionTtlSeconds: -5 }), 'lifecycle.sessionTtlSeconds'],
    ['a fraction', () => persistentSession({ sessionTtlSeconds: 1.5 }), 'lifecycle.sessionTtlSeconds'],
    ['NaN', () => browserSession({ stateTtlSeconds: Number.NaN }), 'lifecycle.stateTtlSeconds'],
    ['Infinity', () => persistentSession({ sessionTtlSeconds: Number.POSITIVE_INFINITY }), 'lifecycle.sessionTtlSeconds'],
    ['a numeric string', () => browserSession({ stateTtlSeconds: '60' as never }), 'lifecycle.stateTtlSeconds'],
    ['a null TTL', () => persistentSession({ sessionTtlSeconds: null as never }), 'lifecycle.sessionTtlSeconds'],
    ['a TTL over 400 days', () => persistentSession({ sessionTtlSeconds: 400 * 86_400 + 1 }), 'lifecycle.sessionTtlSeconds'],
    ['a bad policy', () => persistentSession({ extensionPolicy: 'always' as never }), 'lifecycle.extensionPolicy'],
    ['a null policy', () => browserSession({ extensionPolicy: null as never }), 'lifecycle.extensionPolicy'],
    ['an unknown option', () => browserSession({ secure: true } as never), 'lifecycle.secure'],
    ['a kind option', () => browserSession({ kind: 'persistent' } as never), 'lifecycle.kind'],
    ['null options', () => persistentSession(null as never), 'lifecycle'],
    ['a number as options', () => browserSession(3600 as never), 'lifecycle'],
  ])('lifecycle with %s', (_label, make, option) => {
    const error = lifecycleError(make);
    expect(error.option).toBe(option);
    expect(error.message.startsWith(`${option}: `)).toBe(true);
  });

  test('the caller\'s options object is not mutated and the resolved one is frozen', () => {
    const options = { ...base(), cookie: { name: 'sid' } };
    const snapshot = JSON.stringify(options.cookie);
    createSessionManager(options);
    expect(JSON.stringify(options.cookie)).toBe(snapshot);
    expect(Object.isFrozen(persistentSession())).toBe(true);
  });

  test('the TTL bounds: 1 second to 400 days, both inclusive', () => {
    expect(browserSession({ stateTtlSeconds: 1 }).stateTtlSeconds).toBe(1);
    expect(persistentSession({ sessionTtlSeconds: 34_560_000 }).sessionTtlSeconds).toBe(34_560_000);
    // A day in milliseconds, the classic unit mix-up (express-session's and koa-session's maxAge).
    expect(lifecycleError(() => persistentSession({ sessionTtlSeconds: 86_400_000 })).message).toMatch(
      /at most 34560000 seconds .*milliseconds instead of seconds\?/,
    );
  });

  test('SameSite is case-insensitive', async () => {
    expect(parseCookie(await firstCookie({ ...base(), cookie: { sameSite: 'Strict' as never } })).sameSite).toBe('strict');
  });
});

describe('lifecycle options are validated in full (DESIGN: bad configuration fails at creation)', () => {
  test('browserSession() and persistentSession() reject an unknown option instead of ignoring it', () => {
    const error = lifecycleError(() => browserSession({ sessionTtlSeconds: 60 } as never));
    expect(error.option).toBe('lifecycle.sessionTtlSeconds');
    // The mix-up is named with both ways out: the browser session's own TTL, or a persistent session.
    expect(error.message).toMatch(/is not an option of browserSession\(\).*use stateTtlSeconds.*persistentSession\(\{ sessionTtlSeconds \}\)/);

    const reverse = lifecycleError(() => persistentSession({ stateTtlSeconds: 60 } as never));
    expect(reverse.option).toBe('lifecycle.stateTtlSeconds');
    expect(reverse.message).toMatch(/is not an option of persistentSession\(\).*did you mean sessionTtlSeconds/);
  });

  test.each([
    ['actix-session\'s state_ttl', () => browserSession({ state_ttl: 60 } as never), 'lifecycle.state_ttl', 'stateTtlSeconds'],
    ['ttl', () => browserSession({ ttl: 60 } as never), 'lifecycle.ttl', 'stateTtlSeconds'],
    ['maxAge on a persistent session', () => persistentSession({ maxAge: 60 } as never), 'lifecycle.maxAge', 'sessionTtlSeconds'],
    ['ttlExtensionPolicy', () => persistentSession({ ttlExtensionPolicy: 'on-every-request' } as never), 'lifecycle.ttlExtensionPolicy', 'extensionPolicy'],
  ])('an obvious alias (%s) gets the right name suggested', (_label, make, option, suggestion) => {
    const error = lifecycleError(make);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`did you mean ${suggestion}?`);
  });

  test('an unknown option with no likely meaning lists what is accepted, without guessing', () => {
    const error = lifecycleError(() => persistentSession({ rolling: true } as never));
    expect(error.option).toBe('lifecycle.rolling');
    expect(error.message).toBe(
      'lifecycle.rolling: is not an option of persistentSession(); expected sessionTtlSeconds, extensionPolicy, idleTimeoutSeconds, absoluteTimeoutSeconds, touchIntervalSeconds',
    );
  });

  test.each([
    ['a negative TTL and a made-up policy', { kind: 'persistent', sessionTtlSeconds: -5, extensionPolicy: 'bogus' }, 'lifecycle.sessionTtlSeconds'],
    ['a made-up policy', { kind: 'persistent', sessionTtlSeconds: 60, extensionPolicy: 'bogus' }, 'lifecycle.extensionPolicy'],
    ['a fractional state TTL', { kind: 'browser', stateTtlSeconds: 0.5, extensionPolicy: 'on-state-changes' }, 'lifecycle.stateTtlSeconds'],
    ['a TTL in milliseconds', { kind: 'browser', stateTtlSeconds: 86_400_000, extensionPolicy: 'on-state-changes' }, 'lifecycle.stateTtlSeconds'],
    ['the other lifecycle\'s TTL', { kind: 'browser', sessionTtlSeconds: 60, extensionPolicy: 'on-state-changes' }, 'lifecycle.sessionTtlSeconds'],
    ['an extra field', { kind: 'persistent', sessionTtlSeconds: 60, extensionPolicy: 'on-state-changes', rolling: true }, 'lifecycle.rolling'],
  ])('an object literal with %s fails in createSessionManager, not per request', (_label, lifecycle, option) => {
    const error = configError({ ...base(), lifecycle });
    expect(error.option).toBe(option);
    expect(error.message.startsWith(`${option}: `)).toBe(true);
  });

  test('a valid object literal works like the factory; later changes to it change nothing', async () => {
    const lifecycle = { kind: 'persistent' as const, sessionTtlSeconds: 3600, extensionPolicy: 'on-state-changes' as const };
    const manager = createSessionManager({ ...base(), lifecycle });
    // The manager keeps a validated copy: a literal the caller goes on mutating cannot reach it.
    (lifecycle as { sessionTtlSeconds: number }).sessionTtlSeconds = -1;
    const rs = await manager.load(undefined);
    rs.session.insert('n', 1);
    expect(parseCookie((await manager.commit(rs))[0]!).maxAge).toBe(3600);
    expect(lifecycle.sessionTtlSeconds).toBe(-1);
  });

  test('a literal without the optional fields gets the factory defaults', async () => {
    const cookie = parseCookie(await firstCookie({ ...base(), lifecycle: { kind: 'persistent' } as never }));
    expect(cookie.maxAge).toBe(86_400);
  });

  test('a browser session accepts on-every-request, as actix-session\'s BrowserSession does', () => {
    expect(browserSession({ extensionPolicy: 'on-every-request' })).toEqual({
      kind: 'browser',
      stateTtlSeconds: 86_400,
      extensionPolicy: 'on-every-request',
    });
  });
});

function lifecycleError(make: () => unknown): SessionConfigError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as SessionConfigError).code).toBe('INVALID_OPTIONS');
    return error as SessionConfigError;
  }
  throw new Error('expected a SessionConfigError');
}
