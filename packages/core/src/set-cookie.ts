import { serialize } from 'cookie';
import type { ResolvedOptions } from './options.js';

/** Builds the `Set-Cookie` header values for one configuration. */
export interface SetCookieWriter {
  /** The cookie's name. */
  readonly name: string;
  /** Whether the cookie carries the `Secure` attribute. */
  readonly secure: boolean;
  /** `name=<value>; <attributes>` for an already percent-encoded value. */
  session(encodedValue: string): string;
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
  // Max-Age=0 for current browsers, an Expires in the past for the oldest ones (RFC 6265 §5.3).
  const removal = serialize(cookie.name, '', { ...attributes, maxAge: 0, expires: new Date(0) });
  return {
    name: cookie.name,
    secure: cookie.secure,
    session: (encodedValue) => prefix + encodedValue + suffix,
    removal,
  };
}
