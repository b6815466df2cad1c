import { utf8Decoder, utf8Encoder } from './utf8.js';

// The `COOKIE` set of the Rust `cookie` crate (what actix-session writes): C0 controls, space,
// DEL, non-ASCII and  " # % ( ) , / : ; < = > ? @ [ \ ] ^ ` { | }  are escaped.
const ESCAPE = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) ESCAPE[c] = 1;
ESCAPE[0x7f] = 1;
for (const c of ' "#%(),/:;<=>?@[\\]^`{|}') ESCAPE[c.charCodeAt(0)] = 1;

const HEX = '0123456789ABCDEF';

/**
 * Percent-encodes a cookie value with the character set the Rust `cookie` crate uses, so the
 * cookie value is byte-identical to the one actix-session writes (base64 `/` and `=` become
 * `%2F` and `%3D`; `+` stays), and either side opens the other's cookies.
 *
 * Only the value: the rest of the `Set-Cookie` header differs, harmlessly for browsers. The
 * `cookie` package orders attributes `Max-Age; Domain; Path; HttpOnly; Secure; SameSite`
 * where actix-session writes `HttpOnly; SameSite; Secure; Path; Domain; Max-Age`, and the
 * removal cookie's `Expires` is the epoch rather than a year before the response.
 *
 * @example
 * ```ts
 * percentEncodeCookieValue('ab+/=') // 'ab+%2F%3D'
 * ```
 */
export function percentEncodeCookieValue(value: string): string {
  let start = 0;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 128 && ESCAPE[code] === 0) continue;
    out += value.slice(start, i);
    if (code < 128) {
      out += `%${HEX[code >> 4]!}${HEX[code & 15]!}`;
      start = i + 1;
    } else {
      // Escape the whole non-ASCII run through its UTF-8 bytes.
      let end = i + 1;
      while (end < value.length && value.charCodeAt(end) >= 128) end++;
      for (const byte of utf8Encoder.encode(value.slice(i, end))) out += `%${HEX[byte >> 4]!}${HEX[byte & 15]!}`;
      start = end;
      i = end - 1;
    }
  }
  return start === 0 ? value : out + value.slice(start);
}

/**
 * Decodes percent-escapes in a cookie name or value as the Rust `cookie` crate does
 * (`percent_decode` then strict UTF-8): every `%XX` with two hex digits (either case) becomes its
 * byte, anything else (an unescaped character, a `%` not followed by two hex digits) stays as
 * it is, and the result must be UTF-8. Returns `null` when it is not (such a value was not
 * issued by us or by actix-session and is skipped, never thrown).
 *
 * Lenient on purpose, like actix-session: an escape written in lower case, a character escaped
 * that did not need it, or one left unescaped all decode to the same bytes, and it is the
 * authentication of those bytes (the MAC or the AEAD tag), not their spelling, that protects the
 * session. We still write the canonical encoding ({@link percentEncodeCookieValue}).
 *
 * @example
 * ```ts
 * percentDecodeCookieValue('ab+%2f%3D') // 'ab+/='; percentDecodeCookieValue('%FF') // null
 * ```
 */
export function percentDecodeCookieValue(value: string): string | null {
  if (!value.includes('%')) return value;
  try {
    // The common case: every escape is well formed, and then the result is the crate's.
    return decodeURIComponent(value);
  } catch {
    return decodeLeniently(value);
  }
}

/** `percent_decode` + `decode_utf8` for a text with a `%` that starts no escape. */
function decodeLeniently(value: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x25 && i + 2 < value.length && isHex(value.charCodeAt(i + 1)) && isHex(value.charCodeAt(i + 2))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (code < 0x80) {
      bytes.push(code);
    } else {
      // A character outside ASCII: its UTF-8 bytes, as it stood in the (UTF-8) header.
      let end = i + 1;
      while (end < value.length && value.charCodeAt(end) >= 0x80) end++;
      for (const byte of utf8Encoder.encode(value.slice(i, end))) bytes.push(byte);
      i = end - 1;
    }
  }
  try {
    return utf8Decoder.decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}
