import fc from 'fast-check';

/**
 * One character an HTTP client can put in a header value (RFC 9110 field-vchar, SP, HTAB and
 * obs-text): Node refuses to send anything else, and so would any proxy in front of a server.
 * Weighted towards the characters the Cookie grammar gives meaning to.
 */
const headerChar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('\t', ' ', ';', '=', '%', '"', ',', '\\', '+', '/'),
  fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x80, max: 0xff }).map((code) => String.fromCharCode(code)),
);

/** Header-safe text without `;` (a single cookie's name or value). */
const cookieText = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: headerChar.filter((c) => c !== ';'), maxLength });

/** Base64 with the two characters actix-session percent-encodes, encoded canonically. */
const canonical = (base64: string): string => base64.replace(/\//g, '%2F').replace(/=/g, '%3D');

/**
 * Cookie headers an attacker may send without holding any valid cookie: random bytes, random
 * `name=value` lists around the session cookie's name, and well-formed values sealed by no key
 * (random AES-GCM-shaped blobs, random HMAC-shaped signatures in front of a random session key).
 *
 * @example
 * ```ts
 * fc.asyncProperty(randomCookieHeader('id'), async (header) => { … })
 * ```
 */
export function randomCookieHeader(cookieName: string): fc.Arbitrary<string> {
  const names = fc.constantFrom(cookieName, cookieName, cookieName.toUpperCase(), ` ${cookieName}`, `${cookieName} `, 'theme', '');
  const pairs = fc
    .array(fc.tuple(names, cookieText(120)), { maxLength: 8 })
    .chain((list) => fc.constantFrom('; ', ';', ' ;').map((separator) => list.map(([n, v]) => `${n}=${v}`).join(separator)));
  const forgedPrivate = fc
    .uint8Array({ minLength: 0, maxLength: 400 })
    .map((bytes) => `${cookieName}=${canonical(Buffer.from(bytes).toString('base64'))}`);
  const forgedSigned = fc
    .tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ unit: fc.constantFrom(...'abcXYZ0189'), maxLength: 80 }))
    .map(([mac, key]) => `${cookieName}=${canonical(Buffer.from(mac).toString('base64'))}${key}`);
  return fc.oneof(fc.string({ unit: headerChar, maxLength: 300 }), pairs, forgedPrivate, forgedSigned);
}

/**
 * A change an attacker makes to a valid session cookie.
 *
 * @example
 * ```ts
 * fc.asyncProperty(cookieMutation, async (m) => applyMutation(cookie, m))
 * ```
 */
export type CookieMutation =
  /** XOR one bit of one character of the value (kept within printable ASCII). */
  | { readonly kind: 'flip-char'; readonly at: number; readonly bit: number }
  /** XOR one bit of the sealed bytes (nonce, ciphertext, tag, or HMAC), re-encoded canonically. */
  | { readonly kind: 'flip-sealed-bit'; readonly at: number; readonly bit: number }
  /** Replace one character with a base64 character, so the encoding stays canonical. */
  | { readonly kind: 'substitute'; readonly at: number; readonly char: string }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'bad-escape'; readonly at: number; readonly text: string }
  /** Decode `%2F`/`%3D` differently than actix-session encodes them (lower case, or not at all). */
  | { readonly kind: 're-encode'; readonly style: 'lower-case' | 'raw' }
  /** Wrap the value in double quotes, which RFC 6265 allows and actix-web strips. */
  | { readonly kind: 'quote' }
  | { readonly kind: 'huge'; readonly size: number }
  /** A forged cookie of the same name in front: the first one wins, as in actix-web. */
  | { readonly kind: 'duplicate-before'; readonly text: string }
  /** A forged cookie of the same name after the real one: the real one still wins. */
  | { readonly kind: 'duplicate-after'; readonly text: string }
  | { readonly kind: 'many-cookies'; readonly count: number; readonly at: number }
  /** The value moved under another cookie name. */
  | { readonly kind: 'rename'; readonly name: string };

/**
 * Arbitrary {@link CookieMutation}s, up to 70,000-byte values and 1,000 cookies per header.
 *
 * @example
 * ```ts
 * fc.asyncProperty(cookieMutation, async (m) => { … })
 * ```
 */
export const cookieMutation: fc.Arbitrary<CookieMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip-char' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('flip-sealed-bit' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant('substitute' as const),
    at: fc.nat(),
    char: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+'),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: cookieText(4).filter((t) => t.length > 0) }),
  fc.record({
    kind: fc.constant('bad-escape' as const),
    at: fc.nat(),
    text: fc.constantFrom('%', '%Z', '%G1', '%2', '%E0%A4', '%FF', '%%', '%00', '%0A', '%C3%28'),
  }),
  fc.record({ kind: fc.constant('re-encode' as const), style: fc.constantFrom('lower-case' as const, 'raw' as const) }),
  fc.constant({ kind: 'quote' as const }),
  fc.record({ kind: fc.constant('huge' as const), size: fc.integer({ min: 4_000, max: 70_000 }) }),
  fc.record({ kind: fc.constant('duplicate-before' as const), text: cookieText(60) }),
  fc.record({ kind: fc.constant('duplicate-after' as const), text: cookieText(60) }),
  fc.record({ kind: fc.constant('many-cookies' as const), count: fc.integer({ min: 1, max: 1_000 }), at: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), name: fc.constantFrom('ID', 'Id', 'id2', 'session', '_id') }),
);

/**
 * The Cookie header for a mutated `name=value` pair, and whether the session cookie the server
 * reads still decodes byte for byte to the one it issued (then, and only then, the session may
 * load). Any valid percent-encoding of the issued bytes counts, as actix-web reads cookies.
 *
 * @example
 * ```ts
 * const { header, intact } = applyMutation('id=abc…', { kind: 'truncate', at: 10 })
 * ```
 */
export function applyMutation(pair: string, m: CookieMutation): { header: string; intact: boolean } {
  const split = pair.indexOf('=');
  const name = pair.slice(0, split);
  const value = pair.slice(split + 1);
  const issued = decoded(value);
  const cookie = (v: string): { header: string; intact: boolean } => ({ header: `${name}=${v}`, intact: decoded(effective(v)) === issued });
  switch (m.kind) {
    case 'flip-char': {
      const i = m.at % value.length;
      let code = value.charCodeAt(i) ^ (1 << m.bit);
      // Stay a character a client can send: DEL (0x7F) is not one.
      if (code === 0x7f) code = 0x7e;
      return cookie(value.slice(0, i) + String.fromCharCode(code) + value.slice(i + 1));
    }
    case 'flip-sealed-bit': {
      // The sealed bytes are base64: the whole value (private), or the first 44 characters (signed
      // HMAC). Flip a bit there, then encode as actix-session does so the crypto check is reached.
      const decoded = value.replace(/%2F/g, '/').replace(/%3D/g, '=');
      const signedMac = /^[A-Za-z0-9+/]{43}=/.exec(decoded)?.[0];
      const sealed = signedMac ?? decoded;
      const bytes = Buffer.from(sealed, 'base64');
      if (bytes.length === 0) return cookie(value);
      const at = m.at % bytes.length;
      bytes[at] = (bytes[at] as number) ^ (1 << m.bit);
      return cookie(canonical(bytes.toString('base64')) + (signedMac === undefined ? '' : value.slice(canonical(signedMac).length)));
    }
    case 'substitute': {
      const i = m.at % value.length;
      return cookie(value.slice(0, i) + m.char + value.slice(i + 1));
    }
    case 'truncate':
      return cookie(value.slice(0, m.at % value.length));
    case 'insert':
    case 'bad-escape': {
      const i = m.at % (value.length + 1);
      return cookie(value.slice(0, i) + m.text + value.slice(i));
    }
    case 're-encode': {
      return cookie(
        m.style === 'lower-case'
          ? value.replace(/%([0-9A-F]{2})/g, (_, hex: string) => `%${hex.toLowerCase()}`)
          : value.replace(/%2F/g, '/').replace(/%3D/g, '='),
      );
    }
    case 'quote':
      // Still the issued value once the quotes are stripped.
      return cookie(`"${value}"`);
    case 'huge':
      return cookie(value + 'A'.repeat(m.size));
    case 'duplicate-before': {
      // The first cookie of the name that decodes is read; one that does not decode is skipped.
      const first = decoded(effective(m.text));
      return { header: `${name}=${m.text}; ${pair}`, intact: first === null || first === issued };
    }
    case 'duplicate-after':
      return { header: `${pair}; ${name}=${m.text}`, intact: true };
    case 'many-cookies': {
      const others = Array.from({ length: m.count }, (_, i) => `c${i}=v${i}-${'x'.repeat(i % 40)}`);
      others.splice(m.at % (others.length + 1), 0, pair);
      return { header: others.join('; '), intact: true };
    }
    case 'rename':
      return { header: `${m.name}=${value}`, intact: false };
  }
}

/**
 * `raw` percent-decoded as the Rust `cookie` crate does (`percent_decode` + strict UTF-8): every
 * `%XX` with two hex digits becomes its byte, anything else stays; `null` when not UTF-8.
 * Written here independently of @sess, as the test's oracle.
 */
function decoded(raw: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(raw[i] as string, 'utf8'));
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
}

/**
 * The value a server reads from `name=<raw>`: spaces and tabs around it trimmed (RFC 6265
 * §5.4 parsers, the jshttp `cookie` package), then one pair of surrounding double quotes removed.
 */
function effective(raw: string): string {
  const trimmed = raw.replace(/^[ \t]+|[ \t]+$/g, '');
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}
