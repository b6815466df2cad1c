import type { OwnedSession, Session, SessionStatus } from '@sess/fastify';
import { sessionsSection } from './your-sessions.js';

/** What each status means for the request that ended in it, in the words of the page. */
const MEANING: Readonly<Record<SessionStatus, string>> = {
  unchanged: 'nothing was written',
  changed: 'its data was saved',
  renewed: 'its data was saved under a new session key, so you got a new cookie',
  purged: 'it was deleted and its cookie removed',
};

/**
 * The demo's only page: the status the last action's request left the session in (from the
 * redirect, already validated), the session's status on this request, the visit counter, and a
 * login form or the logged-in user with a logout button and "Your sessions" (see
 * `your-sessions.ts`). Element ids match the other examples.
 *
 * @example
 * ```ts
 * const html = page(session, 'renewed')
 * ```
 */
export function page(session: Session, lastStatus?: SessionStatus, sessions?: readonly OwnedSession[] | 'unlisted'): string {
  const user = session.get<string>('user');
  const counter = session.get<number>('counter') ?? 0;
  const lastAction =
    lastStatus === undefined
      ? ''
      : `<p>Your last action left the session <strong id="last-status">${lastStatus}</strong>: ${MEANING[lastStatus]}.</p>\n  `;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>@sess on Fastify</title></head>
<body>
  <h1>@sess on Fastify</h1>
  ${lastAction}<p>Session status on this request: <strong id="status">${session.status}</strong> (loading the page only reads the session)</p>
  <p>Counter: <strong id="counter">${counter}</strong></p>
  <form method="post" action="/counter"><button id="increment">Increment</button></form>
  ${
    user === undefined
      ? `<form method="post" action="/login"><input name="user" id="user" placeholder="name" required> <button id="login">Log in</button></form>`
      : `<p>Logged in as <strong id="user-name">${escapeHtml(user)}</strong></p>
  <form method="post" action="/logout"><button id="logout">Log out</button></form>
  ${sessionsSection(sessions)}`
  }
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
