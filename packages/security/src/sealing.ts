import {
  createSessionManager,
  type ContentSecurity,
  type Key,
  type SessionKey,
  type SessionState,
  type SessionStore,
} from '@sess/core';
import { pairOf } from '@sess/test-harness';

/** A store whose every method fails: the sealing helpers must only reach the methods they stub. */
const unusable: SessionStore = {
  load: () => Promise.reject(new Error('not used')),
  save: () => Promise.reject(new Error('not used')),
  update: () => Promise.reject(new Error('not used')),
  updateTtl: () => Promise.reject(new Error('not used')),
  delete: () => Promise.reject(new Error('not used')),
};

/**
 * Seals `plaintext` as a session cookie exactly as a server holding `key` would: the attacker's
 * chosen session key (or a crafted cookie-store state) standing in for one the server issued long
 * ago or that leaked. Only the public API is used: a manager whose store "saves" under `plaintext`.
 *
 * @returns the `name=value` pair a browser would send
 *
 * @example
 * ```ts
 * const cookie = await sealCookie(key, 'private', 'attacker-chosen-session-key')
 * ```
 */
export async function sealCookie(
  key: Key | readonly Key[],
  mode: ContentSecurity,
  plaintext: string,
  cookieName = 'id',
): Promise<string> {
  const store: SessionStore = { ...unusable, save: async () => plaintext };
  const manager = createSessionManager({ store, key, cookie: { contentSecurity: mode, name: cookieName } });
  const rs = await manager.load(undefined);
  rs.session.insert('sealed', true);
  const [header] = await manager.commit(rs);
  if (header === undefined) throw new Error('sealCookie: the manager issued no cookie');
  return pairOf(header);
}

/**
 * Opens a session cookie with `key` and returns the session key (or cookie-store state text) it
 * carries, or `null` when `key` does not open it. Used to see which store key a response handed
 * out, whatever the content-security mode.
 *
 * @example
 * ```ts
 * expect(await openCookie(key, 'private', cookie)).not.toBe(attackerKey)
 * ```
 */
export async function openCookie(
  key: Key | readonly Key[],
  mode: ContentSecurity,
  cookie: string,
  cookieName = 'id',
): Promise<SessionKey | null> {
  let opened: SessionKey | null = null;
  const store: SessionStore = {
    ...unusable,
    load: async (sessionKey) => {
      opened = sessionKey;
      return Object.create(null) as SessionState;
    },
  };
  const manager = createSessionManager({ store, key, cookie: { contentSecurity: mode, name: cookieName } });
  await manager.load(cookie);
  return opened;
}
