import { encodeBase64 } from './base64.js';
import type { CookieCodec, OpenResult } from './cookie-codec.js';
import { NONCE_BYTES, openedPlaintext, splitPrivate, splitSigned, TAG_BYTES } from './cookie-layout.js';
import { keyInternals, type Key } from './key.js';
import type { NodeCrypto } from './node-crypto.js';
import { randomBytes } from './random-bytes.js';
import { utf8Encoder } from './utf8.js';

const { signingBytes, encryptionBytes } = keyInternals();
const GCM = { authTagLength: TAG_BYTES } as const;

/**
 * The cookie codec on `node:crypto`: every seal and open is synchronous (a few microseconds,
 * where a Web Crypto call on Node is a thread-pool job costing tens). The same AES-256-GCM and
 * HMAC-SHA256 over the same layout, so its values open with the Web Crypto codec and the other
 * way round; MACs are compared with `timingSafeEqual`.
 */
export function createNodeCryptoCodec(
  node: NodeCrypto,
  aad: Uint8Array,
  keys: readonly Key[],
  mode: 'private' | 'signed',
): CookieCodec {
  if (mode === 'private') {
    // Imported once per manager: a KeyObject skips parsing raw key bytes on every call.
    const secrets = keys.map((key) => node.createSecretKey(encryptionBytes(key)));
    return {
      seal(plaintext) {
        const nonce = randomBytes(NONCE_BYTES);
        const cipher = node.createCipheriv('aes-256-gcm', secrets[0]!, nonce, GCM);
        cipher.setAAD(aad);
        const body = cipher.update(utf8Encoder.encode(plaintext));
        const rest = cipher.final();
        const tag = cipher.getAuthTag();
        const out = new Uint8Array(NONCE_BYTES + body.length + rest.length + TAG_BYTES);
        out.set(nonce, 0);
        out.set(body, NONCE_BYTES);
        out.set(rest, NONCE_BYTES + body.length);
        out.set(tag, NONCE_BYTES + body.length + rest.length);
        return encodeBase64(out);
      },
      open(value): OpenResult {
        const parts = splitPrivate(value);
        if (parts === null) return { ok: false, reason: 'malformed' };
        const cut = parts.sealed.length - TAG_BYTES;
        const ciphertext = parts.sealed.subarray(0, cut);
        const tag = parts.sealed.subarray(cut);
        for (let index = 0; index < secrets.length; index++) {
          const decipher = node.createDecipheriv('aes-256-gcm', secrets[index]!, parts.nonce, GCM);
          decipher.setAAD(aad);
          decipher.setAuthTag(tag);
          const body = decipher.update(ciphertext);
          try {
            // The tag is checked here; `body` is used only once it passed.
            const rest = decipher.final();
            return openedPlaintext(rest.length === 0 ? body : concat(body, rest), index);
          } catch {
            continue;
          }
        }
        return { ok: false, reason: 'unauthenticated' };
      },
    };
  }
  const secrets = keys.map((key) => node.createSecretKey(signingBytes(key)));
  const mac = (index: number, data: Uint8Array) => node.createHmac('sha256', secrets[index]!).update(data).digest();
  return {
    seal(plaintext) {
      return encodeBase64(mac(0, utf8Encoder.encode(plaintext))) + plaintext;
    },
    open(value): OpenResult {
      const parts = splitSigned(value);
      if (parts === null) return { ok: false, reason: 'malformed' };
      const data = utf8Encoder.encode(parts.plaintext);
      for (let index = 0; index < secrets.length; index++) {
        if (node.timingSafeEqual(mac(index, data), parts.signature)) return { ok: true, plaintext: parts.plaintext, keyIndex: index };
      }
      return { ok: false, reason: 'unauthenticated' };
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
