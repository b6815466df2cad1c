import { percentDecodeCookieValue } from './percent-encoding.js';

/** What {@link findSessionCookie} found under the session's name. */
export type SessionCookieText =
  /** A value within the size limit, unquoted and percent-decoded. */
  | { readonly kind: 'value'; readonly value: string }
  /** A `name=value` over the size limit: left undecoded, since nothing we issue is that big. */
  | { readonly kind: 'oversize' };

/**
 * Finds the session cookie in a `Cookie` header the way actix-web reads cookies
 * (`HttpRequest::cookies` with `Cookie::parse_encoded`): the header is split on `;`, each piece
 * trimmed; a piece with no `=` or an empty name is not a cookie; names and values are
 * percent-decoded and a value's surrounding double quotes dropped. The first cookie named `name`
 * that decodes wins. Pieces named `name` that do not decode are handed to `skipped` (for a
 * report) and passed over, as actix skips pieces it cannot parse, so `id=%FF; id=<valid>` reads
 * the second. A cookie named `name` whose `name=value` is over `maxBytes` ends the search
 * as `oversize` (DESIGN: ignored before any crypto work).
 *
 * Scans the header once, without building an object of every cookie: the header is attacker
 * input that can hold a thousand cookies, and only one name matters.
 *
 * @example
 * ```ts
 * findSessionCookie('theme=dark; id=abc%2F', 'id', 4096, report) // { kind: 'value', value: 'abc/' }
 * ```
 */
export function findSessionCookie(
  header: string,
  name: string,
  maxBytes: number,
  skipped: () => void,
): SessionCookieText | undefined {
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    const raw = valueNamed(header, start, end, name);
    start = end + 1;
    if (raw === undefined) continue;
    // Checked on the text as sent, before any decoding or crypto work.
    if (name.length + 1 + raw.length > maxBytes) return OVERSIZE;
    const value = percentDecodeCookieValue(raw);
    if (value !== null) return { kind: 'value', value };
    skipped();
  }
  return undefined;
}

const OVERSIZE: SessionCookieText = Object.freeze({ kind: 'oversize' });

/** The value (unquoted, still encoded) of the cookie in `header[start, end)` when it is named `name`. */
function valueNamed(header: string, start: number, end: number, name: string): string | undefined {
  const equals = header.indexOf('=', start);
  if (equals === -1 || equals >= end) return undefined;
  const pieceName = header.slice(start, equals).trim();
  if (pieceName !== name && (!pieceName.includes('%') || percentDecodeCookieValue(pieceName) !== name)) return undefined;
  const raw = header.slice(equals + 1, end).trim();
  return raw.length >= 2 && raw.charCodeAt(0) === 0x22 && raw.charCodeAt(raw.length - 1) === 0x22 ? raw.slice(1, -1) : raw;
}
