import { decodeBase64, encodeBase64 } from './base64.js';
import { keyInternals, type Key } from './key.js';
import { randomBytes } from './random-bytes.js';
import { utf8Decoder, utf8Encoder } from './utf8.js';

/**
 * How the session cookie's value is protected.
 * - `private`: AES-256-GCM; the value is secret and tamper-proof. The default.
 * - `signed`: HMAC-SHA256; tamper-proof but readable by the client.
 */
export type ContentSecurity = 'private' | 'signed';

/** Why a cookie value did not open. */
export type OpenFailure = 'malformed' | 'unauthenticated' | 'invalid-session-key';

/** The result of opening a cookie value. */
export type OpenResult =
  | { readonly ok: true; readonly plaintext: string; readonly keyIndex: number }
  | { readonly ok: false; readonly reason: OpenFailure };

/** Seals session keys into cookie values and opens them again. */
export interface CookieCodec {
  /** Seals `plaintext` with the first key. The result is not yet percent-encoded. */
  seal(plaintext: string): Promise<string>;
  /** Opens a (percent-decoded) cookie value with any of the keys; never throws. */
  open(value: string): Promise<OpenResult>;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const SIGNATURE_CHARS = 44; // base64 of a 32-byte HMAC-SHA256, padding included
const { signingKey, encryptionKey } = keyInternals();

/**
 * A codec with the byte layout of the Rust `cookie` crate 0.16 used by actix-web 4:
 * - private: base64(12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag), AAD = cookie name
 *   (so a value cannot be replayed under another cookie name);
 * - signed: base64(HMAC-SHA256(value)) (44 characters) followed by the value itself.
 *
 * Web Crypto only, so it runs on every runtime; MACs are checked by `subtle.verify`, in
 * constant time.
 */
export function createCookieCodec(cookieName: string, keys: readonly Key[], mode: ContentSecurity): CookieCodec {
  const aad = utf8Encoder.encode(cookieName);
  const first = keys[0] as Key;
  if (mode === 'private') {
    return {
      async seal(plaintext) {
        const nonce = randomBytes(NONCE_BYTES);
        const sealed = await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: TAG_BYTES * 8 },
          await encryptionKey(first),
          utf8Encoder.encode(plaintext),
        );
        const out = new Uint8Array(NONCE_BYTES + sealed.byteLength);
        out.set(nonce, 0);
        out.set(new Uint8Array(sealed), NONCE_BYTES);
        return encodeBase64(out);
      },
      async open(value) {
        const bytes = decodeBase64(value);
        if (bytes === null || bytes.length < NONCE_BYTES + TAG_BYTES) return { ok: false, reason: 'malformed' };
        const nonce = bytes.subarray(0, NONCE_BYTES);
        const sealed = bytes.subarray(NONCE_BYTES);
        for (let index = 0; index < keys.length; index++) {
          let plain: ArrayBuffer;
          try {
            plain = await crypto.subtle.decrypt(
              { name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: TAG_BYTES * 8 },
              await encryptionKey(keys[index] as Key),
              sealed,
            );
          } catch {
            // Web Crypto reports a failed tag check only by rejecting: try the next key.
            continue;
          }
          return decoded(new Uint8Array(plain), index);
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
      if (value.length < SIGNATURE_CHARS) return { ok: false, reason: 'malformed' };
      const signature = decodeBase64(value.slice(0, SIGNATURE_CHARS));
      if (signature === null || signature.length !== 32) return { ok: false, reason: 'malformed' };
      const plaintext = value.slice(SIGNATURE_CHARS);
      const data = utf8Encoder.encode(plaintext);
      for (let index = 0; index < keys.length; index++) {
        if (await crypto.subtle.verify('HMAC', await signingKey(keys[index] as Key), signature, data)) {
          return { ok: true, plaintext, keyIndex: index };
        }
      }
      return { ok: false, reason: 'unauthenticated' };
    },
  };
}

function decoded(bytes: Uint8Array, keyIndex: number): OpenResult {
  try {
    return { ok: true, plaintext: utf8Decoder.decode(bytes), keyIndex };
  } catch {
    return { ok: false, reason: 'invalid-session-key' };
  }
}
