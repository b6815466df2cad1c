import { decodeBase64 } from './base64.js';
import type { OpenResult } from './cookie-codec.js';
import { utf8Decoder } from './utf8.js';

// The byte layout both cookie codecs share (the Rust `cookie` crate 0.16's), parsed in one place
// so the Web Crypto and `node:crypto` codecs reject exactly the same malformed values.

/** AES-GCM nonce length of the Rust `cookie` crate. */
export const NONCE_BYTES = 12;
/** AES-GCM tag length. */
export const TAG_BYTES = 16;
/** HMAC-SHA256 output length. */
export const SIGNATURE_BYTES = 32;
/** Base64 of a 32-byte HMAC-SHA256, padding included. */
export const SIGNATURE_CHARS = 44;

/** A private value's nonce and ciphertext-with-tag, or `null` when it cannot be one. */
export function splitPrivate(value: string): { nonce: Uint8Array<ArrayBuffer>; sealed: Uint8Array<ArrayBuffer> } | null {
  const bytes = decodeBase64(value);
  if (bytes === null || bytes.length < NONCE_BYTES + TAG_BYTES) return null;
  return { nonce: bytes.subarray(0, NONCE_BYTES), sealed: bytes.subarray(NONCE_BYTES) };
}

/** A signed value's signature and plaintext, or `null` when it cannot be one. */
export function splitSigned(value: string): { signature: Uint8Array<ArrayBuffer>; plaintext: string } | null {
  if (value.length < SIGNATURE_CHARS) return null;
  const signature = decodeBase64(value.slice(0, SIGNATURE_CHARS));
  if (signature === null || signature.length !== SIGNATURE_BYTES) return null;
  return { signature, plaintext: value.slice(SIGNATURE_CHARS) };
}

/** The result for decrypted bytes: text must be valid UTF-8 to be a session key. */
export function openedPlaintext(bytes: Uint8Array, keyIndex: number): OpenResult {
  try {
    return { ok: true, plaintext: utf8Decoder.decode(bytes), keyIndex };
  } catch {
    return { ok: false, reason: 'invalid-session-key' };
  }
}
