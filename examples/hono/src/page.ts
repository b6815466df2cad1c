import type { Session } from '@sess/hono';

/**
 * The demo's only page: the session's status on this request, the visit counter, and a login
 * form or the logged-in user with a logout button. Element ids match the other examples.
 *
 * @example
 * ```ts
 * const html = page(session, '@sess on Hono (Bun)')
 * ```
 */
export function page(session: Session, heading = '@sess on Hono'): string {
  const user = session.get<string>('user');
  const counter = session.get<number>('counter') ?? 0;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${heading}</title></head>
<body>
  <h1>${heading}</h1>
  <p>Session status on this request: <strong id="status">${session.status}</strong></p>
  <p>Counter: <strong id="counter">${counter}</strong></p>
  <form method="post" action="/counter"><button id="increment">Increment</button></form>
  ${
    user === undefined
      ? `<form method="post" action="/login"><input name="user" id="user" placeholder="name" required> <button id="login">Log in</button></form>`
      : `<p>Logged in as <strong id="user-name">${escapeHtml(user)}</strong></p>
  <form method="post" action="/logout"><button id="logout">Log out</button></form>`
  }
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
