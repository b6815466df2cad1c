import { CookieSessionStore, createSessionManager, type ContentSecurity, type Key, type SessionStore } from '@sess/core';

/** Where and how the cookie is sealed: the cookie options of the app that should open it. */
export interface SealOptions {
  readonly path: string;
  readonly contentSecurity: ContentSecurity;
}

/**
 * Seals a session cookie with @sess/core in this (Node) process under `key`, as `id=<value>`.
 * With `{ user }` the cookie store puts that state in the cookie. With `{ sessionKey }` a stub
 * store hands the manager that session key, so the cookie points at a session a server-side
 * store holds, and only the key that sealed it decides whether it opens.
 */
export async function sealCookie(
  key: Key,
  options: SealOptions,
  content: { user: string } | { sessionKey: string },
): Promise<string> {
  const manager = createSessionManager({
    store: 'sessionKey' in content ? fixedKeyStore(content.sessionKey) : new CookieSessionStore(),
    key,
    cookie: { path: options.path, contentSecurity: options.contentSecurity },
  });
  const rs = await manager.load(undefined);
  rs.session.insert('user', 'user' in content ? content.user : 'unused');
  const [setCookie] = await manager.commit(rs, { status: 200 });
  if (!setCookie) throw new Error('sealCookie: the manager issued no cookie');
  return setCookie.split(';')[0]!;
}

/** The session key inside a signed cookie: the value after its 44-character HMAC (DESIGN.md, wire format). */
export function signedSessionKey(cookie: string): string {
  return decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)).slice(44);
}

/** A store whose `save` names a session key chosen by the test; nothing else is called. */
function fixedKeyStore(sessionKey: string): SessionStore {
  const unused = () => Promise.reject(new Error('fixedKeyStore: only save() is expected'));
  return { save: async () => sessionKey, load: unused, update: unused, updateTtl: unused, delete: unused };
}
