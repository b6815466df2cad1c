import { utf8Encoder } from './utf8.js';

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
 * Decodes percent-escapes in a cookie value; `null` when an escape is malformed or the bytes
 * are not UTF-8 (such a value was not issued by us and is rejected, never thrown).
 *
 * @example
 * ```ts
 * percentDecodeCookieValue('ab+%2F%3D') // 'ab+/='; percentDecodeCookieValue('%FF') // null
 * ```
 */
export function percentDecodeCookieValue(value: string): string | null {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
