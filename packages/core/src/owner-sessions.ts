import { SessionError } from './errors.js';
import type { JsonObject } from './json.js';
import type { OwnerRevocationStore } from './owner-revocations.js';
import { Session, sessionInternals } from './session.js';
import type { SessionClock } from './session-clock.js';
import type { OwnedSessionRecord, SessionStore } from './session-store.js';

/**
 * One of an owner's live sessions, as `owners.list` shows it. Nothing in it opens a session: the
 * `id` is random, made when the owner was set, and is neither the session key nor derived from it.
 *
 * @example
 * ```ts
 * const row: OwnedSession = { id: 'Vt3…', current: true, createdAt, lastSeenAt, expiresAt, details: { userAgent: 'Firefox' } }
 * ```
 */
export interface OwnedSession {
  /** The non-secret id to revoke it by. */
  readonly id: string;
  /** Whether it is the session of the request that asked. */
  readonly current: boolean;
  readonly createdAt: Date | undefined;
  /** The last activity written (a session's writes, or touches with an idle timeout). */
  readonly lastSeenAt: Date | undefined;
  readonly expiresAt: Date;
  /** What `setOwner` was given. */
  readonly details: Readonly<JsonObject> | undefined;
}

/**
 * "A user's sessions": list an owner's live sessions, revoke one, all, or all but the current
 * one. Reached as `manager.owners` (and from every adapter's middleware as `.owners`). Each
 * method takes an owner id (an admin revoking a user's sessions) or the current `Session` (its
 * owner, and which session is "this device").
 *
 * @example
 * ```ts
 * const sessions = await owners.list(req.session)
 * await owners.revokeOthers(req.session) // "sign out everywhere else"
 * ```
 */
export interface SessionOwners {
  /** The owner's live sessions, least recently seen last. Needs a store with an owner index. */
  list(owner: string | Session): Promise<OwnedSession[]>;
  /** Revokes the owner's session with this listing id; `false` when it is not one of theirs (or gone). */
  revoke(owner: string | Session, id: string): Promise<boolean>;
  /** Revokes every session of the owner (the current one too: it is purged, its cookie cleared). */
  revokeAll(owner: string | Session): Promise<number | undefined>;
  /** Revokes every session of the current session's owner but this one. */
  revokeOthers(session: Session): Promise<number | undefined>;
}

const { data } = sessionInternals();

/** Options of {@link createSessionOwners}. */
export interface OwnersConfig {
  readonly store: SessionStore;
  readonly revocations: OwnerRevocationStore | undefined;
  readonly clock: SessionClock;
  /** How long a revocation must be kept (the longest a revoked session could still live), or forever. */
  readonly revocationTtlSeconds: number | undefined;
}

/**
 * Builds the {@link SessionOwners} API over a store's owner index (`listOwned`/`deleteOwned`),
 * or, for a store without one (the cookie store), over owner revocations: cookies cannot be
 * listed, but revoking all (or all but the current) of an owner's sessions works.
 *
 * @example
 * ```ts
 * const owners = createSessionOwners({ store, revocations: undefined, clock, revocationTtlSeconds: undefined })
 * ```
 */
export function createSessionOwners(config: OwnersConfig): SessionOwners & { enforceCap(ownerId: string, keepId: string | undefined, cap: number): Promise<void> } {
  const { store, revocations, clock } = config;
  const indexed = typeof store.listOwned === 'function' && typeof store.deleteOwned === 'function';

  const listed = async (ownerId: string): Promise<OwnedSessionRecord[]> => {
    if (!indexed) throw unsupported('list an owner\'s sessions (the store keeps no owner index; the cookie store cannot)');
    return guarded(() => store.listOwned!(ownerId));
  };
  const deleted = (ownerId: string, ids: readonly string[]): Promise<number> =>
    ids.length === 0 ? Promise.resolve(0) : guarded(() => store.deleteOwned!(ownerId, ids));
  const stamp = async (ownerId: string, except: string | undefined): Promise<undefined> => {
    if (revocations === undefined) throw unsupported('revoke cookie-store sessions without owners.revocations (a server-side store of owner stamps)');
    const revocation = except === undefined ? { before: clock.seconds() } : { before: clock.seconds(), except };
    await guarded(() => revocations.set(ownerId, revocation, config.revocationTtlSeconds));
    return undefined;
  };

  return {
    async list(owner) {
      const { ownerId, currentId } = target(owner);
      if (ownerId === undefined) return [];
      const rows = await listed(ownerId);
      return rows.map((row) => view(row, currentId)).sort((a, b) => (b.lastSeenAt?.getTime() ?? 0) - (a.lastSeenAt?.getTime() ?? 0));
    },
    async revoke(owner, id) {
      const { ownerId } = target(owner);
      if (ownerId === undefined || typeof id !== 'string') return false;
      if (!indexed) throw unsupported('revoke one cookie-store session by id (revoke all of them, or all but the current one)');
      return (await deleted(ownerId, [id])) > 0;
    },
    async revokeAll(owner) {
      const { ownerId } = target(owner);
      if (ownerId === undefined) return 0;
      // The request's own session ends too: its response clears the cookie.
      if (owner instanceof Session) owner.purge();
      if (!indexed) return stamp(ownerId, undefined);
      return deleted(ownerId, (await listed(ownerId)).map((row) => row.id));
    },
    async revokeOthers(session) {
      const { ownerId, currentId } = target(session);
      if (ownerId === undefined) return 0;
      if (!indexed) return stamp(ownerId, currentId);
      return deleted(ownerId, (await listed(ownerId)).map((row) => row.id).filter((id) => id !== currentId));
    },
    async enforceCap(ownerId, keepId, cap) {
      const rows = (await listed(ownerId)).filter((row) => row.id !== keepId);
      const excess = rows.length + (keepId === undefined ? 0 : 1) - cap;
      if (excess <= 0) return;
      // The least recently seen go first.
      rows.sort((a, b) => lastSeen(a) - lastSeen(b));
      await deleted(ownerId, rows.slice(0, excess).map((row) => row.id));
    },
  };
}

/** The owner id and current listing id an argument stands for. */
function target(owner: string | Session): { ownerId: string | undefined; currentId: string | undefined } {
  if (owner instanceof Session) {
    const meta = data(owner).meta;
    return { ownerId: meta.owner, currentId: meta.id };
  }
  if (typeof owner !== 'string' || owner === '') throw new SessionError('MISUSE', 'owners: pass an owner id (a non-empty string) or the request\'s Session');
  return { ownerId: owner, currentId: undefined };
}

function view(row: OwnedSessionRecord, currentId: string | undefined): OwnedSession {
  const { meta } = row;
  return Object.freeze({
    id: row.id,
    current: row.id === currentId,
    createdAt: meta.created === undefined ? undefined : new Date(meta.created * 1000),
    lastSeenAt: meta.active === undefined ? undefined : new Date(meta.active * 1000),
    expiresAt: new Date(row.expiresAt),
    details: meta.details,
  });
}

function lastSeen(row: OwnedSessionRecord): number {
  return row.meta.active ?? row.meta.created ?? 0;
}

async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new SessionError('STORE_OWNERS', 'Something went wrong when reading or revoking an owner\'s sessions', { cause: error });
  }
}

function unsupported(what: string): SessionError {
  return new SessionError('UNSUPPORTED', `owners: cannot ${what}`);
}
