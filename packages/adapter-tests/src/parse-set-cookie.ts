/**
 * One parsed `Set-Cookie` header (RFC 6265 §5.2), attributes by their usual names.
 *
 * @example
 * ```ts
 * const { name, value, maxAge }: SetCookie = parseSetCookie(header)
 * ```
 */
export interface SetCookie {
  readonly name: string;
  /** The value as sent (still percent-encoded), which is what a browser sends back. */
  readonly value: string;
  readonly path?: string;
  readonly domain?: string;
  readonly maxAge?: number;
  readonly expires?: string;
  readonly sameSite?: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
}

/**
 * Parses a `Set-Cookie` header value.
 *
 * @example
 * ```ts
 * parseSetCookie('id=abc; HttpOnly; Path=/').path // '/'
 * ```
 */
export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...attributes] = header.split(';');
  const equals = pair.indexOf('=');
  const cookie: {
    -readonly [K in keyof SetCookie]: SetCookie[K];
  } = {
    name: pair.slice(0, equals).trim(),
    value: pair.slice(equals + 1).trim(),
    secure: false,
    httpOnly: false,
  };
  for (const attribute of attributes) {
    const [rawName = '', ...rest] = attribute.split('=');
    const value = rest.join('=').trim();
    switch (rawName.trim().toLowerCase()) {
      case 'path':
        cookie.path = value;
        break;
      case 'domain':
        cookie.domain = value;
        break;
      case 'max-age':
        cookie.maxAge = Number(value);
        break;
      case 'expires':
        cookie.expires = value;
        break;
      case 'samesite':
        cookie.sameSite = value;
        break;
      case 'secure':
        cookie.secure = true;
        break;
      case 'httponly':
        cookie.httpOnly = true;
        break;
    }
  }
  return cookie;
}
