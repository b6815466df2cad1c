import { serialize } from 'cookie';
import type { ResolvedOptions } from './options.js';

/** Builds the `Set-Cookie` header values for one configuration. */
export interface SetCookieWriter {
  /** The cookie's name. */
  readonly name: string;
  /** Whether the cookie carries the `Secure` attribute. */
  readonly secure: boolean;
  /**
   * `name=<value>; <attributes>` for an already percent-encoded value; `maxAgeSeconds` replaces
   * the configured `Max-Age` of a persistent session (a nearer timeout deadline).
   */
  session(encodedValue: string, maxAgeSeconds?: number): string;
  /** The removal cookie: `name=; <same attributes>; Max-Age=0; Expires=<a past date>`. */
  readonly removal: string;
}

// Any valid cookie value works: it only marks where per-request values go in the template.
const PLACEHOLDER = 'SESSVALUE';

/**
 * Serialises the attributes once, when the configuration is created, with the `cookie`
 * package; each response then only concatenates the sealed value into the template.
 */
export function createSetCookieWriter(
  cookie: ResolvedOptions['cookie'],
  maxAgeSeconds: number | undefined,
): SetCookieWriter {
  const attributes = {
    encode: (value: string) => value,
    path: cookie.path,
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
    sameSite: cookie.sameSite,
    ...(cookie.domain === undefined ? {} : { domain: cookie.domain }),
  } as const;
  const template = serialize(cookie.name, PLACEHOLDER, {
    ...attributes,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  });
  const prefix = `${cookie.name}=`;
  const suffix = template.slice(prefix.length + PLACEHOLDER.length);
  // The `cookie` package writes Max-Age first among the attributes: a nearer deadline goes there.
  const withoutMaxAge = serialize(cookie.name, PLACEHOLDER, attributes).slice(prefix.length + PLACEHOLDER.length);
  // Max-Age=0 for current browsers, an Expires in the past for the oldest ones (RFC 6265 §5.3).
  const removal = serialize(cookie.name, '', { ...attributes, maxAge: 0, expires: new Date(0) });
  return {
    name: cookie.name,
    secure: cookie.secure,
    session: (encodedValue, maxAge) =>
      maxAge === undefined || maxAgeSeconds === undefined
        ? prefix + encodedValue + suffix
        : `${prefix}${encodedValue}; Max-Age=${maxAge}${withoutMaxAge}`,
    removal,
  };
}
