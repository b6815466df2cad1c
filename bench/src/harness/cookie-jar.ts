/**
 * Updates a browser-like cookie jar (name → value) from `Set-Cookie` headers: a cookie with
 * `Max-Age=0` or an empty value is removed. Returns the `Cookie` header to send next, if any.
 *
 * @example
 * ```ts
 * const jar = new Map<string, string>()
 * const cookie = applySetCookies(jar, response.setCookies) // 'id=…'
 * ```
 */
export function applySetCookies(jar: Map<string, string>, setCookies: readonly string[]): string | undefined {
  for (const header of setCookies) {
    const pair = header.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (value === '' || /;\s*max-age=0(;|$)/i.test(header)) jar.delete(name);
    else jar.set(name, value);
  }
  return cookieHeader(jar);
}

/**
 * The `Cookie` header for a jar, `undefined` when it is empty.
 *
 * @example
 * ```ts
 * cookieHeader(new Map([['session', 'a'], ['session.sig', 'b']])) // 'session=a; session.sig=b'
 * ```
 */
export function cookieHeader(jar: ReadonlyMap<string, string>): string | undefined {
  if (jar.size === 0) return undefined;
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}
