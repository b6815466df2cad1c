/**
 * The session key inside a `signed` session cookie (`name=value`): the cookie value is the
 * 44-character HMAC followed by the key itself (percent-encoded).
 */
export function sessionKeyOf(pair: string): string {
  return decodeURIComponent(pair.slice(pair.indexOf('=') + 1)).slice(44);
}
