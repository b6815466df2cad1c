import { createCipheriv, randomBytes } from 'node:crypto';
import {
  browserSession,
  CookieSessionStore,
  createSessionManager,
  Key,
  LoadError,
  MemorySessionStore,
  persistentSession,
  SaveError,
  SessionError,
  UpdateError,
  type Session,
  type SessionEvent,
  type SessionOptions,
  type SessionState,
  type SessionStore,
} from '../src/index.js';
import { percentEncodeCookieValue } from '../src/percent-encoding.js';
import { pairOf, parseCookie, RecordingStore } from './helpers.js';

// One test per row of actix-session's decision table (reference §4.2–4.3) and per deliberate
// improvement of DESIGN.md, each recording the store calls made and the Set-Cookie values sent.

const key = Key.generate();
const DAY = 86_400;

interface Harness {
  store: RecordingStore;
  events: SessionEvent[];
  /** Runs one request: load the cookie, run the handler, commit; returns the Set-Cookie values. */
  request(cookie: string | undefined, handler?: (session: Session) => void, status?: number): Promise<string[]>;
  /** A cookie for a session whose state is `initial`, issued through the lifecycle. */
  cookieFor(initial: Record<string, unknown>): Promise<string>;
}

function harness(inner: SessionStore = new MemorySessionStore(), extra: Partial<SessionOptions> = {}): Harness {
  const store = new RecordingStore(inner);
  const events: SessionEvent[] = [];
  const manager = createSessionManager({ store, key, onEvent: (e) => events.push(e), ...extra });
  const request: Harness['request'] = async (cookie, handler, status = 200) => {
    const rs = await manager.load(cookie);
    handler?.(rs.session);
    return manager.commit(rs, { status });
  };
  return {
    store,
    events,
    request,
    async cookieFor(initial) {
      const [header] = await request(undefined, (s) => Object.entries(initial).forEach(([k, v]) => s.insert(k, v)));
      store.reset();
      events.length = 0;
      return pairOf(header!);
    },
  };
}

const REMOVAL = /^id=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/;
const SESSION = /^id=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/;

describe('load (reference §4.2)', () => {
  test('no cookie: empty session, no store call', async () => {
    const h = harness();
    expect(await h.request(undefined)).toEqual([]);
    expect(await h.request('other=1; another=2')).toEqual([]);
    expect(h.store.ops).toEqual([]);
  });

  test('a cookie that fails the crypto check: empty session, no store call, a cookie-rejected event', async () => {
    const h = harness();
    expect(await h.request('id=not-a-sealed-value')).toEqual([]);
    expect(h.store.ops).toEqual([]);
    expect(h.events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'malformed' }]);
  });

  test('a cookie whose escapes do not decode to UTF-8: a malformed-encoding rejection', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    for (const header of ['id=%E0%A4%A', 'id=%FF%FE', 'id=%C3']) {
      h.events.length = 0;
      expect(await h.request(header)).toEqual([]);
      expect(h.events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'malformed-encoding' }]);
    }
    expect(h.store.ops).toEqual([]);
    // Sanity: the same cookie still opens.
    let seen: unknown;
    await h.request(cookie, (s) => (seen = s.get('n')));
    expect(seen).toBe(1);
  });

  test('a cookie escaped in a way we do not write (an escaped letter) opens as actix-session reads it', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    const raw = cookie.slice('id='.length);
    // The first character of a sealed value is a base64 letter: escaping it decodes to the same value.
    const first = raw.charCodeAt(0).toString(16).padStart(2, '0');
    let seen: unknown;
    const [resent] = await h.request(`id=%${first}${raw.slice(1)}`, (s) => {
      seen = s.get('n');
      s.insert('n', 2);
    });
    expect(seen).toBe(1);
    expect(h.events).toEqual([]);
    // Written back canonically.
    expect(pairOf(resent!)).toBe(cookie);
  });

  test('with several cookies of the session name, one that does not decode is reported and skipped; the first that decodes wins', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    const value = cookie.slice('id='.length);
    let seen: unknown;
    await h.request(`theme=dark; id=%FF; id=${value}; id=other`, (s) => (seen = s.get('n')));
    expect(seen).toBe(1);
    expect(h.events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'malformed-encoding' }]);
    // Only the first decodable one is read, as in actix-web: a bad one before a good one wins.
    h.events.length = 0;
    seen = undefined;
    await h.request(`id=garbage; id=${value}`, (s) => (seen = s.get('n')));
    expect(seen).toBeUndefined();
    expect(h.events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'malformed' }]);
  });

  test('a private cookie that opens but whose plaintext is not UTF-8: an invalid-session-key rejection, no store call', async () => {
    // Sealed by hand with node:crypto after the byte layout (DESIGN.md wire format), so that the
    // authentic ciphertext carries bytes no session key can be: 0xFF never occurs in UTF-8.
    const bytes = randomBytes(64);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', bytes.subarray(32, 64), nonce);
    cipher.setAAD(Buffer.from('id'));
    const body = Buffer.concat([cipher.update(Buffer.from([0xff, 0xfe, 0x61, 0x62])), cipher.final()]);
    const value = Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
    const h = harness(new MemorySessionStore(), { key: Key.from(bytes) });
    expect(await h.request(`id=${percentEncodeCookieValue(value)}`)).toEqual([]);
    expect(h.events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'invalid-session-key' }]);
    expect(h.store.ops).toEqual([]);
    // The same key still opens a cookie it sealed itself: only the plaintext was at fault.
    const cookie = await h.cookieFor({ n: 1 });
    let seen: unknown;
    await h.request(cookie, (s) => (seen = s.get('n')));
    expect(seen).toBe(1);
  });

  test('key found: the state is loaded into the session', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    let seen: unknown;
    await h.request(cookie, (s) => (seen = s.get('n')));
    expect(seen).toBe(1);
    expect(h.store.ops).toEqual(['load']);
  });

  test('state not found: the key is discarded, so a write saves under a new key', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    // Delete the state behind the cookie's back (expiry, logout in another tab).
    const sessionKey = await keyOf(h, cookie);
    await h.store.inner.delete(sessionKey);
    h.store.reset();
    const out = await h.request(cookie, (s) => s.insert('n', 2));
    expect(h.store.ops).toEqual(['load', 'save']);
    expect(h.events).toEqual([{ type: 'state-missing', cookieName: 'id', phase: 'load' }]);
    expect(out).toHaveLength(1);
    expect(pairOf(out[0]!)).not.toBe(cookie);
  });

  test('state undecodable: empty session on the same key, which a write then updates', async () => {
    const h = harness(new BrokenStateStore());
    const cookie = await h.cookieFor({ n: 1 });
    const out = await h.request(cookie, (s) => s.insert('n', 2));
    expect(h.store.ops).toEqual(['load', 'update']);
    expect((h.store.calls[1] as { key: string }).key).toBe((h.store.calls[0] as { key: string }).key);
    expect(h.events.map((e) => e.type)).toEqual(['state-invalid']);
    expect(out).toHaveLength(1);
  });

  test('a deserialization LoadError from another copy of @sess/core is recognised by its code', async () => {
    class ForeignCopyStore extends MemorySessionStore {
      override async load(): Promise<SessionState | null> {
        // Not an instance of this copy's LoadError: only the code and kind say what it is.
        throw Object.assign(new Error('Failed to deserialize session state'), { code: 'STORE_LOAD', kind: 'deserialization' });
      }
    }
    const h = harness(new ForeignCopyStore());
    const cookie = await h.cookieFor({ n: 1 });
    await h.request(cookie, (s) => s.insert('n', 2));
    expect(h.store.ops).toEqual(['load', 'update']);
    expect(h.events.map((e) => e.type)).toEqual(['state-invalid']);
  });

  test('store failure: load rejects with a generic LoadError, the store error only as cause', async () => {
    const failure = new Error('My error full of implementation details');
    const failing = new FailingStore({ load: failure });
    const cookie = await harness(failing.memory).cookieFor({ n: 1 });
    const h = harness(failing);
    const error = (await h.request(cookie).catch((e: unknown) => e)) as LoadError;
    expect(error).toBeInstanceOf(LoadError);
    expect(error.kind).toBe('other');
    expect(error.code).toBe('STORE_LOAD');
    expect(error.status).toBe(500);
    expect(error.expose).toBe(false);
    expect(error.message).not.toContain('implementation details');
    expect(error.cause).toBe(failure);
  });

  test('the first cookie with the session name wins; later ones are never tried', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    let seen: unknown;
    await h.request(`${cookie}; id=garbage`, (s) => (seen = s.get('n')));
    expect(seen).toBe(1);
    h.events.length = 0;
    await h.request(`id=garbage; ${cookie}`, (s) => (seen = s.get('n')));
    expect(seen).toBeUndefined();
    expect(h.events.map((e) => e.type)).toEqual(['cookie-rejected']);
  });

  test('a session cookie over 4096 bytes is ignored before any crypto work', async () => {
    const h = harness();
    const decrypt = jest.spyOn(crypto.subtle, 'decrypt');
    const verify = jest.spyOn(crypto.subtle, 'verify');
    try {
      expect(await h.request(`id=${'A'.repeat(4094)}`)).toEqual([]);
      expect(decrypt).not.toHaveBeenCalled();
      expect(verify).not.toHaveBeenCalled();
      expect(h.events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'oversize' }]);
      expect(h.store.ops).toEqual([]);
    } finally {
      decrypt.mockRestore();
      verify.mockRestore();
    }
  });
});

describe('commit, no loaded key (reference §4.3 row 1)', () => {
  test('unchanged, empty: no store call, no cookie', async () => {
    const h = harness();
    expect(await h.request(undefined, (s) => s.get('x'))).toEqual([]);
    expect(h.store.ops).toEqual([]);
  });

  test('changed, non-empty: save with the state TTL, cookie with the new key', async () => {
    const h = harness();
    const out = await h.request(undefined, (s) => s.insert('n', 1));
    expect(h.store.calls).toEqual([{ op: 'save', ttlSeconds: DAY, state: { n: 1 } }]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(SESSION);
  });

  test('changed but empty again (insert then remove): nothing', async () => {
    const h = harness();
    expect(await h.request(undefined, (s) => (s.insert('n', 1), s.remove('n')))).toEqual([]);
    expect(h.store.ops).toEqual([]);
  });

  test('renewed with state: save (status is ignored without a key)', async () => {
    const h = harness();
    const out = await h.request(undefined, (s) => (s.insert('n', 1), s.renew()));
    expect(h.store.ops).toEqual(['save']);
    expect(out).toHaveLength(1);
  });

  test('renewed and empty: nothing', async () => {
    const h = harness();
    expect(await h.request(undefined, (s) => s.renew())).toEqual([]);
    expect(h.store.ops).toEqual([]);
  });

  test('purged without any session cookie: nothing', async () => {
    const h = harness();
    expect(await h.request(undefined, (s) => s.purge())).toEqual([]);
    expect(h.store.ops).toEqual([]);
  });

  test('purged when the cookie pointed at missing state: the cookie is still cleared (DESIGN improvement 2)', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ user: 'ferris' });
    const sessionKey = await keyOf(h, cookie);
    await h.store.inner.delete(sessionKey);
    h.store.reset();
    const out = await h.request(cookie, (s) => s.purge());
    expect(h.store.ops).toEqual(['load']);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(REMOVAL);
  });

  test('purged with a cookie that failed the crypto check: the bad cookie is cleared', async () => {
    const h = harness();
    const out = await h.request('id=garbage', (s) => s.purge());
    expect(h.store.ops).toEqual([]);
    expect(out).toEqual([expect.stringMatching(REMOVAL)]);
  });
});

describe('commit, loaded key (reference §4.3 rows 2–6)', () => {
  test('changed: update(key) with the state TTL; the store kept the key, so the incoming cookie is re-sent', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    const out = await h.request(cookie, (s) => s.insert('n', 2));
    expect(h.store.ops).toEqual(['load', 'update']);
    const [load, update] = h.store.calls as unknown as [{ key: string }, { key: string; ttlSeconds: number; state: unknown }];
    expect(update.key).toBe(load.key);
    expect(update.ttlSeconds).toBe(DAY);
    expect(update.state).toEqual({ n: 2 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(SESSION);
    // The same key under the same sealing key: the value the browser sent comes back as is.
    expect(pairOf(out[0]!)).toBe(cookie);
  });

  test('changed: when update returns a different key, the cookie carries the new key', async () => {
    const inner = new KeyChangingStore();
    const h = harness(inner);
    const cookie = await h.cookieFor({ n: 1 });
    const oldKey = await keyOf(h, cookie);
    h.store.reset();
    const out = await h.request(cookie, (s) => s.insert('n', 2));
    expect(h.store.ops).toEqual(['load', 'update']);
    expect(h.store.calls[1]).toMatchObject({ op: 'update', key: oldKey, state: { n: 2 } });
    expect(inner.returned).toHaveLength(1);
    const newKey = inner.returned[0]!;
    expect(newKey).not.toBe(oldKey);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(SESSION);
    expect(pairOf(out[0]!)).not.toBe(cookie);
    // The new cookie opens to the key update returned, and the session goes on there.
    expect(await keyOf(h, pairOf(out[0]!))).toBe(newKey);
    let seen: unknown;
    await h.request(pairOf(out[0]!), (s) => (seen = s.get('n')));
    expect(seen).toBe(2);
    // The old cookie's key was given up by the store: it loads nothing any more.
    h.store.reset();
    await h.request(cookie, (s) => (seen = s.get('n')));
    expect(seen).toBeUndefined();
    expect(h.events).toEqual([{ type: 'state-missing', cookieName: 'id', phase: 'load' }]);
  });

  test('changed by update() alone: persisted (DESIGN improvement 1; actix drops it)', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    await h.request(cookie, (s) => s.update<number>('n', (n) => n + 1));
    expect(h.store.ops).toEqual(['load', 'update']);
    expect(h.store.calls[1]).toMatchObject({ state: { n: 2 } });
  });

  test('changed to an empty state (clear): update, and the cookie is still sent', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    const out = await h.request(cookie, (s) => s.clear());
    expect(h.store.ops).toEqual(['load', 'update']);
    expect(h.store.calls[1]).toMatchObject({ state: {} });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(SESSION);
  });

  test('changed, but the state vanished while the request ran: changes dropped, cookie cleared (DESIGN improvement 9)', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ user: 'ferris' });
    const out = await h.request(cookie, (s) => {
      s.insert('cart', [1]);
      // A logout in another tab deletes the state between load and commit.
      const loaded = (h.store.calls[0] as { key: string }).key;
      void h.store.inner.delete(loaded);
    });
    expect(h.store.ops).toEqual(['load', 'update']);
    expect(out).toEqual([expect.stringMatching(REMOVAL)]);
    expect(h.events).toEqual([{ type: 'state-missing', cookieName: 'id', phase: 'commit' }]);
    // Nothing was recreated.
    expect((h.store.inner as MemorySessionStore).size).toBe(0);
  });

  test('purged: delete(key), removal cookie', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ user: 'ferris' });
    const out = await h.request(cookie, (s) => s.purge());
    expect(h.store.ops).toEqual(['load', 'delete']);
    expect((h.store.calls[1] as { key: string }).key).toBe((h.store.calls[0] as { key: string }).key);
    expect(out).toEqual([expect.stringMatching(REMOVAL)]);
  });

  test('renewed: delete(old key), then save under a new key, new cookie', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    const out = await h.request(cookie, (s) => (s.insert('user', 'ferris'), s.renew()));
    expect(h.store.ops).toEqual(['load', 'delete', 'save']);
    expect(h.store.calls[2]).toMatchObject({ state: { n: 1, user: 'ferris' }, ttlSeconds: DAY });
    expect(out).toHaveLength(1);
    expect(pairOf(out[0]!)).not.toBe(cookie);
    // The old cookie is dead.
    h.store.reset();
    let seen: unknown;
    await h.request(cookie, (s) => (seen = s.get('n')));
    expect(seen).toBeUndefined();
  });

  test('renewed, but the state vanished while the request ran: no new key, cookie cleared (DESIGN improvement 9)', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ user: 'ferris' });
    const out = await h.request(cookie, (s) => {
      s.insert('elevated', true);
      s.renew();
      // A logout in another tab deletes the state between load and commit.
      void h.store.inner.delete((h.store.calls[0] as { key: string }).key);
    });
    expect(h.store.ops).toEqual(['load', 'delete']);
    expect(out).toEqual([expect.stringMatching(REMOVAL)]);
    expect(h.events).toEqual([{ type: 'state-missing', cookieName: 'id', phase: 'commit' }]);
    expect((h.store.inner as MemorySessionStore).size).toBe(0);
  });

  test('renewed with an empty state: delete and save all the same (as actix)', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    const out = await h.request(cookie, (s) => (s.clear(), s.renew()));
    expect(h.store.ops).toEqual(['load', 'delete', 'save']);
    expect(out).toHaveLength(1);
  });

  test('unchanged, on-state-changes: nothing', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    expect(await h.request(cookie, (s) => s.get('n'))).toEqual([]);
    expect(h.store.ops).toEqual(['load']);
  });

  test('unchanged, on-state-changes, persistent session: nothing, not even the cookie re-sent', async () => {
    const h = harness(new MemorySessionStore(), { lifecycle: persistentSession({ sessionTtlSeconds: 60 }) });
    const cookie = await h.cookieFor({ n: 1 });
    let seen: unknown;
    expect(await h.request(cookie, (s) => (seen = s.get('n')))).toEqual([]);
    expect(seen).toBe(1);
    expect(h.store.ops).toEqual(['load']);
  });

  test('unchanged, on-every-request, browser session: updateTtl, no cookie', async () => {
    const h = harness(new MemorySessionStore(), { lifecycle: browserSession({ stateTtlSeconds: 120, extensionPolicy: 'on-every-request' }) });
    const cookie = await h.cookieFor({ n: 1 });
    expect(await h.request(cookie)).toEqual([]);
    expect(h.store.calls[1]).toMatchObject({ op: 'updateTtl', ttlSeconds: 120 });
    expect(h.store.ops).toEqual(['load', 'updateTtl']);
  });

  test('unchanged, on-every-request, persistent session: updateTtl and the same key re-sent with Max-Age', async () => {
    const h = harness(new MemorySessionStore(), { lifecycle: persistentSession({ sessionTtlSeconds: 60, extensionPolicy: 'on-every-request' }) });
    const cookie = await h.cookieFor({ n: 1 });
    const out = await h.request(cookie);
    expect(h.store.ops).toEqual(['load', 'updateTtl']);
    expect(out).toHaveLength(1);
    expect(parseCookie(out[0]!).maxAge).toBe(60);
    // Same session key inside (a fresh seal of it).
    h.store.reset();
    await h.request(pairOf(out[0]!));
    expect((h.store.calls[0] as { key: string }).key).toBe(await keyOf(h, cookie));
  });

  test('state undecodable + unchanged + on-every-request: updateTtl on the bad key (as actix)', async () => {
    const h = harness(new BrokenStateStore(), { lifecycle: browserSession({ extensionPolicy: 'on-every-request' }) });
    const cookie = await h.cookieFor({ n: 1 });
    await h.request(cookie);
    expect(h.store.ops).toEqual(['load', 'updateTtl']);
  });
});

describe('deliberate improvements at commit', () => {
  test('a response with status ≥ 500 persists nothing and sets no cookie (DESIGN improvement 10)', async () => {
    const h = harness();
    const cookie = await h.cookieFor({ n: 1 });
    for (const status of [500, 502, 503]) {
      h.store.reset();
      expect(await h.request(cookie, (s) => (s.insert('user', 'mallory'), s.renew()), status)).toEqual([]);
      expect(h.store.ops).toEqual(['load']);
      expect(await h.request(undefined, (s) => s.insert('user', 'mallory'), status)).toEqual([]);
    }
    // A 4xx still persists.
    h.store.reset();
    expect(await h.request(undefined, (s) => s.insert('n', 1), 404)).toHaveLength(1);
  });

  test('a cookie opened by an older key is re-issued under the first, without store writes (DESIGN improvement 4)', async () => {
    const inner = new MemorySessionStore();
    const old = Key.generate();
    const before = harness(inner, { key: old });
    const cookie = await before.cookieFor({ n: 1 });
    const current = Key.generate();
    const h = harness(inner, { key: [current, old] });
    const out = await h.request(cookie);
    expect(h.store.ops).toEqual(['load']);
    expect(out).toHaveLength(1);
    expect(h.events).toEqual([{ type: 'key-rotated', cookieName: 'id', keyIndex: 1 }]);
    // The re-issued cookie opens with the new key alone, on the same session.
    let seen: unknown;
    await harness(inner, { key: current }).request(pairOf(out[0]!), (s) => (seen = s.get('n')));
    expect(seen).toBe(1);
  });

  test('a cookie over the 4096-byte budget is refused with a SaveError, not sent (DESIGN improvement 5)', async () => {
    const h = harness(new CookieSessionStore());
    const error = await h.request(undefined, (s) => s.insert('blob', 'x'.repeat(3_500))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SaveError);
    expect(((error as SaveError).cause as Error).message).toMatch(/would be \d+ bytes, over the 4096/);
    expect((error as SaveError).message).not.toMatch(/4096/);
  });

  test('the largest state that fits gives a cookie of at most 4096 bytes', async () => {
    const h = harness(new CookieSessionStore());
    let size = 0;
    for (let length = 3_000; length > 0 && size === 0; length -= 25) {
      const out = await h.request(undefined, (s) => s.insert('blob', 'x'.repeat(length))).catch(() => undefined);
      if (out) size = new TextEncoder().encode(pairOf(out[0]!)).length;
    }
    expect(size).toBeGreaterThan(3_900);
    expect(size).toBeLessThanOrEqual(4096);
  });
});

describe('store failures at commit reject with generic errors', () => {
  const detail = new Error('ECONNREFUSED 10.0.0.7:6379 password=hunter2');
  test.each([
    ['save', (s: Session) => s.insert('n', 1), false, SaveError, 'STORE_SAVE'],
    ['update', (s: Session) => s.insert('n', 2), true, UpdateError, 'STORE_UPDATE'],
    ['delete', (s: Session) => s.purge(), true, SessionError, 'STORE_DELETE'],
    ['updateTtl', () => undefined, true, SessionError, 'STORE_UPDATE_TTL'],
  ] as const)('%s failure', async (op, handler, withCookie, ErrorClass, code) => {
    const inner = new FailingStore({ [op]: detail });
    const h = harness(inner, { lifecycle: browserSession({ extensionPolicy: 'on-every-request' }) });
    const cookie = withCookie ? pairOf((await harness(inner.memory).request(undefined, (s) => s.insert('n', 1)))[0]!) : undefined;
    const error = (await h.request(cookie, handler).catch((e: unknown) => e)) as SessionError;
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.code).toBe(code);
    expect(error.status).toBe(500);
    expect(error.message).not.toMatch(/ECONNREFUSED|hunter2/);
    expect(error.cause).toBe(detail);
  });

  test('a store returning an invalid key is a SaveError', async () => {
    const bad: SessionStore = { ...new MemorySessionStore(), load: async () => null, save: async () => 'x'.repeat(5000), update: async () => null, updateTtl: async () => undefined, delete: async () => undefined };
    const h = harness(bad);
    await expect(h.request(undefined, (s) => s.insert('n', 1))).rejects.toBeInstanceOf(SaveError);
  });
});

describe('commit without I/O: a value, not a promise', () => {
  const key = Key.generate();
  const make = (extra: Partial<SessionOptions> = {}) => {
    const store = new RecordingStore(new MemorySessionStore());
    return { store, manager: createSessionManager({ store, key, ...extra }) };
  };
  const issue = async (manager: ReturnType<typeof createSessionManager>) => {
    const rs = await manager.load(undefined);
    rs.session.insert('n', 1);
    return pairOf((await manager.commit(rs))[0]!);
  };

  test('answers at once without a store call when nothing needs one, and then counts as committed', async () => {
    const { store, manager } = make();
    const fresh = await manager.load(undefined);
    expect(manager.commit(fresh, { status: 200 })).toEqual([]);
    await expect(manager.commit(fresh)).rejects.toMatchObject({ code: 'MISUSE' });
    const cookie = await issue(manager);
    store.reset();
    const unchanged = await manager.load(cookie);
    unchanged.session.get('n');
    expect(manager.commit(unchanged)).toEqual([]);
    const purgedWithoutState = await manager.load('id=garbage');
    purgedWithoutState.session.purge();
    expect(manager.commit(purgedWithoutState)).toEqual([expect.stringMatching(REMOVAL)]);
    const failed = await manager.load(cookie);
    failed.session.insert('n', 2);
    expect(manager.commit(failed, { status: 503 })).toEqual([]);
    expect(store.ops).toEqual(['load', 'load']);
  });

  test('returns a promise when the store must run, and does the work once', async () => {
    const { store, manager } = make();
    const fresh = await manager.load(undefined);
    fresh.session.insert('n', 1);
    const pending = manager.commit(fresh);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toHaveLength(1);
    expect(store.ops).toEqual(['save']);
    await expect(manager.commit(fresh)).rejects.toMatchObject({ code: 'MISUSE' });
  });

  test.each([
    ['changed', (s: Session) => s.insert('n', 2), 'update'],
    ['renewed', (s: Session) => s.renew(), 'delete'],
    ['purged', (s: Session) => s.purge(), 'delete'],
  ])('a %s session with a key needs the store: a promise', async (_label, handler, op) => {
    const { store, manager } = make();
    const rs = await manager.load(await issue(manager));
    handler(rs.session);
    store.reset();
    const pending = manager.commit(rs);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(store.ops[0]).toBe(op);
  });

  test('on-every-request and a rotated key need work even when unchanged', async () => {
    const everyRequest = make({ lifecycle: browserSession({ extensionPolicy: 'on-every-request' }) });
    const a = await everyRequest.manager.load(await issue(everyRequest.manager));
    everyRequest.store.reset();
    const extending = everyRequest.manager.commit(a);
    expect(extending).toBeInstanceOf(Promise);
    await extending;
    expect(everyRequest.store.ops).toEqual(['updateTtl']);

    const old = Key.generate();
    const inner = new MemorySessionStore();
    const cookie = await issue(createSessionManager({ store: inner, key: old }));
    const rotated = createSessionManager({ store: inner, key: [Key.generate(), old] });
    const b = await rotated.load(cookie);
    const [reissued] = await rotated.commit(b);
    expect(reissued).toMatch(SESSION);
    expect(pairOf(reissued!)).not.toBe(cookie);
  });
});

describe('lifecycle misuse', () => {
  test('commit twice, or with a request session from another manager, is a MISUSE error', async () => {
    const a = createSessionManager({ store: new MemorySessionStore(), key });
    const b = createSessionManager({ store: new MemorySessionStore(), key });
    const rs = await a.load(undefined);
    await expect(b.commit(rs)).rejects.toMatchObject({ code: 'MISUSE' });
    await a.commit(rs);
    await expect(a.commit(rs)).rejects.toMatchObject({ code: 'MISUSE' });
    await expect(a.commit({ session: rs.session, onCommitNeeded() {} })).rejects.toMatchObject({ code: 'MISUSE' });
  });

  test('an onEvent that throws does not break the request', async () => {
    const m = createSessionManager({
      store: new MemorySessionStore(),
      key,
      onEvent: () => {
        throw new Error('logger down');
      },
    });
    const rs = await m.load('id=garbage');
    expect(rs.session.entries()).toEqual({});
  });
});

// ----- helpers -----

/** The session keys (store keys) behind cookies, found by replaying a load through the recorder. */
async function loadKeys(h: Harness, cookie: string): Promise<{ key: string }[]> {
  const before = h.store.calls.length;
  await h.request(cookie);
  const calls = h.store.calls.splice(before) as { op: string; key: string }[];
  h.events.length = 0;
  return calls.filter((c) => c.op === 'load').map((c) => ({ key: c.key }));
}

async function keyOf(h: Harness, cookie: string): Promise<string> {
  return (await loadKeys(h, cookie))[0]!.key;
}

/** A store whose records exist but never decode (like a corrupted Redis value). */
class BrokenStateStore extends MemorySessionStore {
  override async load(): Promise<SessionState | null> {
    throw new LoadError('deserialization', 'garbage record');
  }
}

/**
 * A store whose `update` moves the state to a fresh key (as the cookie store does, whose key is
 * the state itself), recording the keys it returned.
 */
class KeyChangingStore extends MemorySessionStore {
  readonly returned: string[] = [];
  override async update(key: string, state: SessionState, ttlSeconds: number): Promise<string | null> {
    if ((await this.delete(key)) === false) return null;
    const next = await this.save(state, ttlSeconds);
    this.returned.push(next);
    return next;
  }
}

/** A memory store whose chosen operations fail with the given error. */
class FailingStore implements SessionStore {
  readonly memory = new MemorySessionStore();
  constructor(private readonly failures: Partial<Record<keyof SessionStore, Error>>) {}
  private run<T>(op: keyof SessionStore, fn: () => Promise<T>): Promise<T> {
    const failure = this.failures[op];
    return failure ? Promise.reject(failure) : fn();
  }
  load(k: string) {
    return this.run('load', () => this.memory.load(k));
  }
  save(s: SessionState, t: number) {
    return this.run('save', () => this.memory.save(s, t));
  }
  update(k: string, s: SessionState, t: number) {
    return this.run('update', () => this.memory.update(k, s, t));
  }
  updateTtl(k: string, t: number) {
    return this.run('updateTtl', () => this.memory.updateTtl(k, t));
  }
  delete(k: string) {
    return this.run('delete', () => this.memory.delete(k));
  }
}

