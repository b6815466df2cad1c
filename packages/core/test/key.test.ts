import { createDecipheriv, createHmac } from 'node:crypto';
import { createSessionManager, CookieSessionStore, Key, SessionConfigError } from '../src/index.js';

const INFO = 'COOKIE;SIGNED:HMAC-SHA256;PRIVATE:AEAD-AES-256-GCM';

/** HKDF-SHA256 expand-only (RFC 5869 §2.3) with node:crypto, independent of the code under test. */
function expandOnly(prk: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(blocks).length < length; i++) {
    previous = createHmac('sha256', prk).update(previous).update(INFO).update(Buffer.from([i])).digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

async function sealWith(key: Key, contentSecurity: 'private' | 'signed', name = 'id'): Promise<string> {
  const manager = createSessionManager({ store: new CookieSessionStore(), key, cookie: { name, contentSecurity } });
  const rs = await manager.load(undefined);
  rs.session.insert('k', 'v');
  const [header] = await manager.commit(rs);
  return decodeURIComponent(header!.split(';', 1)[0]!.slice(name.length + 1));
}

describe('Key', () => {
  test('Key.from rejects fewer than 64 bytes with an error naming the problem', () => {
    expect(() => Key.from(new Uint8Array(63))).toThrow(SessionConfigError);
    expect(() => Key.from(new Uint8Array(32))).toThrow(/at least 64 bytes.*got 32/);
  });

  test('Key.from rejects strings and says how to decode them', () => {
    expect(() => Key.from('a'.repeat(100) as never)).toThrow(/a string: use Key\.fromBase64\(secret\)/);
  });

  test('Key.from accepts a Buffer, an ArrayBuffer and more than 64 bytes (the first 64 are used)', async () => {
    const bytes = new Uint8Array(80).map((_, i) => i);
    const a = await sealWith(Key.from(Buffer.from(bytes)), 'signed');
    const b = await sealWith(Key.from(bytes.slice(0, 64).buffer), 'signed');
    expect(a).toBe(b);
  });

  test('Key.from copies its input: changing the buffer afterwards does not change the key', async () => {
    const bytes = new Uint8Array(64).fill(7);
    const key = Key.from(bytes);
    const before = await sealWith(key, 'signed');
    bytes.fill(9);
    expect(await sealWith(key, 'signed')).toBe(before);
  });

  test('Key.derive rejects a master shorter than 32 bytes', async () => {
    await expect(Key.derive(new Uint8Array(31))).rejects.toThrow(/at least 32 bytes/);
  });

  test('Key.derive is HKDF-SHA256 expand-only with the cookie crate info string (known answer)', async () => {
    const master = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7));
    const okm = expandOnly(master, 64);
    const key = await Key.derive(master);

    // Signing half: the signed cookie's MAC is HMAC-SHA256(okm[0..32], value).
    const signed = await sealWith(key, 'signed');
    const value = signed.slice(44);
    expect(signed.slice(0, 44)).toBe(createHmac('sha256', okm.subarray(0, 32)).update(value).digest('base64'));

    // Encryption half: the private cookie opens with AES-256-GCM under okm[32..64].
    const sealed = Buffer.from(await sealWith(key, 'private'), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', okm.subarray(32, 64), sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from('id'));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
    expect(plain.toString()).toBe('{"v":1,"state":{"k":"v"}}');
  });

  test('Key.derive is deterministic', async () => {
    const master = new Uint8Array(48).fill(3);
    expect(await sealWith(await Key.derive(master), 'signed')).toBe(await sealWith(await Key.derive(master), 'signed'));
  });

  test('Key.generate gives different keys', async () => {
    expect(await sealWith(Key.generate(), 'signed')).not.toBe(await sealWith(Key.generate(), 'signed'));
  });

  test('a key does not show its bytes when logged', () => {
    const key = Key.from(new Uint8Array(64).fill(0xab));
    expect(JSON.stringify(key)).toBe('{}');
    expect(Object.keys(key)).toEqual([]);
  });

  describe('Key.fromBase64', () => {
    const bytes = new Uint8Array(64).map((_, i) => (i * 37 + 11) & 255);
    const standard = Buffer.from(bytes).toString('base64');

    test('opens what Key.from opens for the same bytes, whatever the line breaks, alphabet or padding', async () => {
      const expected = await sealWith(Key.from(bytes), 'signed');
      // `openssl rand -base64 64` wraps its output at 64 characters: two lines in a .env file.
      const twoLines = `${standard.slice(0, 64)}\n${standard.slice(64)}\n`;
      const urlSafe = Buffer.from(bytes).toString('base64url');
      for (const secret of [standard, twoLines, `  ${standard}\r\n`, urlSafe, standard.replace(/=+$/, '')]) {
        expect(await sealWith(Key.fromBase64(secret), 'signed')).toBe(expected);
      }
    });

    test('a 48-byte secret (the first line of openssl rand -base64 64) is refused with a one-line command', () => {
      const firstLine = standard.slice(0, 64);
      expect(() => Key.fromBase64(firstLine)).toThrow(SessionConfigError);
      expect(() => Key.fromBase64(firstLine)).toThrow(
        "Key.fromBase64: needs at least 64 bytes of secret material, got 48; generate one with `openssl rand -base64 64 | tr -d '\\n'`",
      );
    });

    test('refuses what is not base64 without echoing the secret, and undefined with a hint', () => {
      let message = '';
      try {
        Key.fromBase64(`${standard.slice(0, 40)}!${standard.slice(41)}`);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/is not base64/);
      expect(message).not.toContain(standard.slice(0, 20));
      expect(() => Key.fromBase64(undefined as never)).toThrow(/undefined \(is the environment variable set\?\)/);
    });
  });

  describe('keys across copies of @sess/core', () => {
    // Two copies in one process, as when a CommonJS app's Key meets an ESM adapter's core.
    function secondCopy(): typeof import('../src/index.js') {
      let copy!: typeof import('../src/index.js');
      jest.isolateModules(() => {
        copy = require('../src/index.js') as typeof import('../src/index.js');
      });
      expect(copy.Key).not.toBe(Key);
      return copy;
    }

    test('a Key made by another copy is accepted and seals as the same bytes would', async () => {
      const other = secondCopy();
      const bytes = new Uint8Array(64).map((_, i) => 255 - i);
      const foreign = other.Key.from(bytes);
      expect(foreign instanceof Key).toBe(false);
      expect(await sealWith(foreign as unknown as Key, 'signed')).toBe(await sealWith(Key.from(bytes), 'signed'));
      // And the other way round, in a key list.
      const manager = other.createSessionManager({ store: new other.CookieSessionStore(), key: [Key.from(bytes) as never] });
      expect(manager).toBeDefined();
    });

    test('a Promise of a Key says to await Key.derive', () => {
      const pending = Key.derive(new Uint8Array(32));
      expect(() => createSessionManager({ store: new CookieSessionStore(), key: pending as never })).toThrow(
        'key: you passed a Promise: await Key.derive(…) before creating the middleware',
      );
      expect(() => createSessionManager({ store: new CookieSessionStore(), key: {} as never })).toThrow(/key: must be a Key/);
      return pending;
    });
  });
});
