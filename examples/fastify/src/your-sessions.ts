import type { OwnedSession, Session, SessionOwners, SessionStore } from '@sess/fastify';

/**
 * What a signed-in device is shown as in "Your sessions": its user agent, cut to 200 characters
 * (the owner details must stay a small JSON object, at most 1 KiB).
 *
 * @example
 * ```ts
 * req.session.setOwner(user, ownerDetails(req.headers['user-agent']))
 * ```
 */
export function ownerDetails(userAgent: string | undefined): { userAgent: string } {
  return { userAgent: (userAgent ?? 'unknown device').slice(0, 200) };
}

/**
 * The signed-in user's sessions for the page: `undefined` when nobody is signed in, `'unlisted'`
 * when the store keeps no owner index (the cookie store: its sessions live in the browsers).
 *
 * @example
 * ```ts
 * const sessions = await yourSessions(app.sessionOwners, req.session, options.store)
 * ```
 */
export async function yourSessions(owners: SessionOwners, session: Session, store: SessionStore): Promise<readonly OwnedSession[] | 'unlisted' | undefined> {
  if (session.owner === undefined) return undefined;
  return typeof store.listOwned === 'function' ? owners.list(session) : 'unlisted';
}

/**
 * The "Your sessions" section of the page: each device with when it signed in and was last
 * seen, "this device" on the current one, a "Sign out" button on the others, and "Sign out
 * everywhere else". Element ids and classes match the other examples.
 *
 * @example
 * ```ts
 * sessionsSection(await yourSessions(owners, session, store))
 * ```
 */
export function sessionsSection(sessions: readonly OwnedSession[] | 'unlisted' | undefined): string {
  if (sessions === undefined) return '';
  if (sessions === 'unlisted') {
    return `<section id="sessions"><h2>Your sessions</h2>
  <p>The cookie store keeps sessions in the browsers, so they cannot be listed: a server-side store (memory, Redis) can list them.</p></section>`;
  }
  const rows = sessions.map(
    (row) => `<li class="session" data-id="${escapeHtml(row.id)}"><span class="device">${escapeHtml(String(row.details?.userAgent ?? 'unknown device'))}</span>
      signed in ${when(row.createdAt)}, last seen ${when(row.lastSeenAt)}
      ${
        row.current
          ? '<strong class="this-device">this device</strong>'
          : `<form method="post" action="/sessions/revoke"><input type="hidden" name="id" value="${escapeHtml(row.id)}"><button class="sign-out">Sign out</button></form>`
      }</li>`,
  );
  return `<section id="sessions"><h2>Your sessions</h2>
  <ul>
    ${rows.join('\n    ')}
  </ul>
  <form method="post" action="/sessions/revoke-others"><button id="sign-out-others">Sign out everywhere else</button></form></section>`;
}

function when(date: Date | undefined): string {
  return date === undefined ? 'at an unknown time' : `<time datetime="${date.toISOString()}">${date.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
