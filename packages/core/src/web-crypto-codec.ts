import { encodeBase64 } from './base64.js';
import type { CookieCodec } from './cookie-codec.js';
import { NONCE_BYTES, openedPlaintext, splitPrivate, splitSigned, TAG_BYTES } from './cookie-layout.js';
import { keyInternals, type Key } from './key.js';
import { randomBytes } from './random-bytes.js';
import { utf8Encoder } from './utf8.js';

const { signingKey, encryptionKey } = keyInternals();

/**
 * The cookie codec on Web Crypto (`crypto.subtle`), for runtimes without synchronous crypto
 * (workerd, browsers): every seal and open is a promise. MACs are checked by `subtle.verify`, in
 * constant time. Same bytes as the `node:crypto` codec (see `createCookieCodec`).
 */
export function createWebCryptoCodec(aad: Uint8Array<ArrayBuffer>, keys: readonly Key[], mode: 'private' | 'signed'): CookieCodec {
  const first = keys[0] as Key;
  const params = (iv: Uint8Array<ArrayBuffer>) => ({ name: 'AES-GCM', iv, additionalData: aad, tagLength: TAG_BYTES * 8 });
  if (mode === 'private') {
    return {
      async seal(plaintext) {
        const nonce = randomBytes(NONCE_BYTES);
        const sealed = await crypto.subtle.encrypt(params(nonce), await encryptionKey(first), utf8Encoder.encode(plaintext));
        const out = new Uint8Array(NONCE_BYTES + sealed.byteLength);
        out.set(nonce, 0);
        out.set(new Uint8Array(sealed), NONCE_BYTES);
        return encodeBase64(out);
      },
      async open(value) {
        const parts = splitPrivate(value);
        if (parts === null) return { ok: false, reason: 'malformed' };
        for (let index = 0; index < keys.length; index++) {
          let plain: ArrayBuffer;
          try {
            plain = await crypto.subtle.decrypt(params(parts.nonce), await encryptionKey(keys[index] as Key), parts.sealed);
          } catch {
            // Web Crypto reports a failed tag check only by rejecting: try the next key.
            continue;
          }
          return openedPlaintext(new Uint8Array(plain), index);
        }
        return { ok: false, reason: 'unauthenticated' };
      },
    };
  }
  return {
    async seal(plaintext) {
      const signature = await crypto.subtle.sign('HMAC', await signingKey(first), utf8Encoder.encode(plaintext));
      return encodeBase64(new Uint8Array(signature)) + plaintext;
    },
    async open(value) {
      const parts = splitSigned(value);
      if (parts === null) return { ok: false, reason: 'malformed' };
      const data = utf8Encoder.encode(parts.plaintext);
      for (let index = 0; index < keys.length; index++) {
        if (await crypto.subtle.verify('HMAC', await signingKey(keys[index] as Key), parts.signature, data)) {
          return { ok: true, plaintext: parts.plaintext, keyIndex: index };
        }
      }
      return { ok: false, reason: 'unauthenticated' };
    },
  };
}
