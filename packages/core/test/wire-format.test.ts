import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import {
  CookieSessionStore,
  createSessionManager,
  Key,
  MemorySessionStore,
  type SessionEvent,
  type SessionOptions,
  type SessionStore,
} from '../src/index.js';
import { percentEncodeCookieValue } from '../src/percent-encoding.js';
import { CRYPTO_BACKENDS, useCryptoBackend } from './crypto-backend.js';
import { pairOf } from './helpers.js';

// Everything the test builds by hand follows the byte layout in DESIGN.md / reference §5, with
// node:crypto — independent of the Web Crypto code under test.
const keyBytes = randomBytes(64);
const signingKey = keyBytes.subarray(0, 32);
const encryptionKey = keyBytes.subarray(32, 64);

/** The Rust cookie crate's COOKIE percent-encode set, written out from reference §5.1. */
function encodeLikeRust(value: string): string {
  const escaped = new Set(' "#%()+,/:;<=>?@[\\]^`{|}'.split('').filter((c) => c !== '+'));
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x20 || byte >= 0x7f || escaped.has(c) ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : c;
  }
  return out;
}

function sealPrivate(plaintext: string, name: string, key = encryptionKey): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(name));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
}

function openPrivate(value: string, name: string, key = encryptionKey): string {
  const bytes = Buffer.from(value, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(name));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
}

function sealSigned(plaintext: string, key = signingKey): string {
  return createHmac('sha256', key).update(plaintext, 'utf8').digest('base64') + plaintext;
}

function manager(store: SessionStore, contentSecurity: 'private' | 'signed', extra: Partial<SessionOptions> = {}) {
  return createSessionManager({ store, key: Key.from(keyBytes), cookie: { contentSecurity, name: 'id' }, ...extra });
}

describe('percent-encoding of the cookie value', () => {
  test('matches the Rust cookie crate set: base64 / and = escaped, + kept', () => {
    expect(percentEncodeCookieValue('ab+/=')).toBe('ab+%2F%3D');
    const everyAscii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
    expect(percentEncodeCookieValue(everyAscii)).toBe(encodeLikeRust(everyAscii));
    expect(percentEncodeCookieValue('état 😀')).toBe(encodeLikeRust('état 😀'));
  });
});

// Every known-answer test runs on both codec backends (see crypto-differential.test.ts).
describe.each(CRYPTO_BACKENDS)('%s backend', (backend) => {
  useCryptoBackend(backend);

  describe.each(['private', 'signed'] as const)('wire format, %s (known-answer tests)', (mode) => {
    const seal = (plaintext: string) => (mode === 'private' ? sealPrivate(plaintext, 'id') : sealSigned(plaintext));

    test('a cookie built with node:crypto from the byte layout opens (cookie store)', async () => {
      const value = seal('{"v":1,"state":{"counter":41,"user_id":"ferris"}}');
      const rs = await manager(new CookieSessionStore(), mode).load(`id=${encodeLikeRust(value)}`);
      expect(rs.session.get('counter')).toBe(41);
      expect(rs.session.get('user_id')).toBe('ferris');
    });

    test('a cookie built with node:crypto opens (memory store: the plaintext is the session key)', async () => {
      const store = new MemorySessionStore();
      const key = await store.save(Object.assign(Object.create(null), { n: 7 }), 60);
      const rs = await manager(store, mode).load(`other=1; id=${encodeLikeRust(seal(key))}`);
      expect(rs.session.get('n')).toBe(7);
    });

    test('legacy actix-session ≤ 0.11 state inside a cookie opens', async () => {
      const value = seal('{"counter":"100","user_id":"\\"ferris\\""}');
      const rs = await manager(new CookieSessionStore(), mode).load(`id=${encodeLikeRust(value)}`);
      expect(rs.session.entries()).toEqual({ counter: 100, user_id: 'ferris' });
    });

    test('the cookie we issue opens with node:crypto and has the documented layout', async () => {
      const m = manager(new CookieSessionStore(), mode);
      const rs = await m.load(undefined);
      rs.session.insert('user_id', 'ferris');
      rs.session.insert('counter', 1);
      const [header] = await m.commit(rs);
      const encoded = pairOf(header!).slice('id='.length);
      const value = decodeURIComponent(encoded);
      // The header carries exactly the Rust-style encoding of the value.
      expect(encoded).toBe(encodeLikeRust(value));
      const plaintext = '{"v":1,"state":{"counter":1,"user_id":"ferris"}}';
      if (mode === 'private') {
        expect(Buffer.from(value, 'base64')).toHaveLength(12 + Buffer.byteLength(plaintext) + 16);
        expect(openPrivate(value, 'id')).toBe(plaintext);
      } else {
        expect(value).toBe(sealSigned(plaintext));
        expect(value.slice(0, 44)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      }
    });

    test('each issue of a private cookie uses a fresh nonce; a signed one is deterministic', async () => {
      const m = manager(new CookieSessionStore(), mode);
      const issue = async () => {
        const rs = await m.load(undefined);
        rs.session.insert('k', 1);
        return (await m.commit(rs))[0];
      };
      const [a, b] = [await issue(), await issue()];
      if (mode === 'private') expect(a).not.toBe(b);
      else expect(a).toBe(b);
    });
  });

  describe.each(['private', 'signed'] as const)('key rotation, %s', (mode) => {
    const oldBytes = randomBytes(64);
    const seal = (plaintext: string) =>
      mode === 'private'
        ? sealPrivate(plaintext, 'id', oldBytes.subarray(32, 64))
        : sealSigned(plaintext, oldBytes.subarray(0, 32));

    test('a cookie sealed by an older key in the list is accepted and re-issued under the first', async () => {
      const events: SessionEvent[] = [];
      const store = new MemorySessionStore();
      const sessionKey = await store.save(Object.assign(Object.create(null), { n: 1 }), 60);
      const m = createSessionManager({
        store,
        key: [Key.from(keyBytes), Key.from(oldBytes)],
        cookie: { contentSecurity: mode },
        onEvent: (e) => events.push(e),
      });
      const rs = await m.load(`id=${encodeLikeRust(seal(sessionKey))}`);
      expect(rs.session.get('n')).toBe(1);
      expect(events).toEqual([{ type: 'key-rotated', cookieName: 'id', keyIndex: 1 }]);
      const [header, ...rest] = await m.commit(rs);
      expect(rest).toEqual([]);
      const value = decodeURIComponent(pairOf(header!).slice(3));
      // Same session key, now sealed with the first (current) key.
      if (mode === 'private') expect(openPrivate(value, 'id')).toBe(sessionKey);
      else expect(value).toBe(sealSigned(sessionKey));
    });

    test('once the old key is removed from the list, its cookies are rejected', async () => {
      const events: SessionEvent[] = [];
      const m = createSessionManager({
        store: new CookieSessionStore(),
        key: Key.from(keyBytes),
        cookie: { contentSecurity: mode },
        onEvent: (e) => events.push(e),
      });
      const rs = await m.load(`id=${encodeLikeRust(seal('{"v":1,"state":{"n":1}}'))}`);
      expect(rs.session.entries()).toEqual({});
      expect(events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'unauthenticated' }]);
      expect(await m.commit(rs)).toEqual([]);
    });
  });
});
