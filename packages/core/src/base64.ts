const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Standard base64 (RFC 4648 §4) with `=` padding, as the Rust `cookie` crate writes it.
 * Written out rather than via `btoa` so it works on bytes directly on every runtime.
 */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += `${ALPHABET[n >>> 18]!}${ALPHABET[(n >>> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += `${ALPHABET[n >>> 18]!}${ALPHABET[(n >>> 12) & 63]!}${ALPHABET[(n >>> 6) & 63]!}=`;
  }
  return out;
}

/**
 * Decodes canonical standard base64 only, or returns `null`.
 *
 * Strict on purpose: a cookie value that was re-encoded (missing padding, URL-safe alphabet,
 * whitespace, non-zero trailing bits) is not the value we issued, so it is rejected rather
 * than quietly decoded to the same bytes.
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  const length = text.length;
  if (length === 0 || length % 4 !== 0) return null;
  const padding = text.charCodeAt(length - 1) === 61 ? (text.charCodeAt(length - 2) === 61 ? 2 : 1) : 0;
  const out = new Uint8Array((length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < length; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const last = i + 4 === length;
    const c = last && padding === 2 ? 0 : sextet(text, i + 2);
    const d = last && padding >= 1 ? 0 : sextet(text, i + 3);
    if ((a | b | c | d) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
    // Canonical encodings leave the bits after the last byte at zero.
    if (last && ((padding === 1 && (c & 3) !== 0) || (padding === 2 && (b & 15) !== 0))) return null;
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (DECODE[code] as number) : -1;
}
