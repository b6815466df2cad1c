import type { Key } from './key.js';
import type { MaybePromise } from './maybe-promise.js';
import { createNodeCryptoCodec } from './node-crypto-codec.js';
import { findNodeCrypto, type NodeCrypto } from './node-crypto.js';
import { utf8Encoder } from './utf8.js';
import { createWebCryptoCodec } from './web-crypto-codec.js';

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

/**
 * Seals session keys into cookie values and opens them again: synchronously where the runtime
 * has synchronous crypto (`node:crypto`), with promises on Web Crypto.
 */
export interface CookieCodec {
  /** Seals `plaintext` with the first key. The result is not yet percent-encoded. */
  seal(plaintext: string): MaybePromise<string>;
  /** Opens a (percent-decoded) cookie value with any of the keys; never throws. */
  open(value: string): MaybePromise<OpenResult>;
}

/**
 * A codec with the byte layout of the Rust `cookie` crate 0.16 used by actix-web 4:
 * - private: base64(12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag), AAD = cookie name
 *   (so a value cannot be replayed under another cookie name);
 * - signed: base64(HMAC-SHA256(value)) (44 characters) followed by the value itself.
 *
 * Two backends with the same bytes on the wire, chosen once here: `node:crypto`, synchronous,
 * where the runtime hands it out (see `findNodeCrypto`), and Web Crypto everywhere else. `backend`
 * is for tests: `null` forces Web Crypto.
 */
export function createCookieCodec(
  cookieName: string,
  keys: readonly Key[],
  mode: ContentSecurity,
  backend: NodeCrypto | null | undefined = findNodeCrypto(),
): CookieCodec {
  const aad = utf8Encoder.encode(cookieName);
  return backend ? createNodeCryptoCodec(backend, aad, keys, mode) : createWebCryptoCodec(aad, keys, mode);
}
