/**
 * How a request reached the server, as the adapter sees it: the protocol (after the framework's
 * proxy settings, e.g. Express's `trust proxy`) and the `Host` header.
 *
 * @example
 * ```ts
 * const transport: Transport = { protocol: req.protocol, host: req.headers.host }
 * ```
 */
export interface Transport {
  /** `'http'` or `'https'` (a trailing `:` is ignored, so `new URL(url).protocol` works). */
  readonly protocol: string;
  /** The `Host` header, port included or not. */
  readonly host: string | undefined;
}

/**
 * The host a `Secure` cookie would be silently dropped for: the request came over plain HTTP to a
 * host browsers do not treat as a secure context. Browsers keep `Secure` cookies over plain HTTP
 * only for `localhost`, its subdomains and loopback addresses (the "potentially trustworthy
 * origins" of the Secure Contexts spec); anywhere else (a LAN or Docker address, a host name) the
 * cookie never comes back. `undefined` when the cookie is kept.
 *
 * @example
 * ```ts
 * droppingHost({ protocol: 'http', host: '192.168.1.20:3000' }) // '192.168.1.20'
 * droppingHost({ protocol: 'http', host: 'localhost:3000' })    // undefined
 * ```
 */
export function droppingHost(transport: Transport): string | undefined {
  if (!/^http:?$/i.test(transport.protocol)) return undefined;
  const host = hostName(transport.host ?? '');
  if (host === '' || isLoopback(host)) return undefined;
  return host;
}

/** The host part of a `Host` header: without the port, IPv6 brackets kept, lower case. */
function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

function isLoopback(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}
