import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createSessionManager, type OwnedSession, type Session, type SessionOptions, type SessionOwners, type SessionStatus } from '@sess/core';
import { pageAfter, reportedStatus } from './reported-status.js';
import { ownerDetails, sessionsSection, yourSessions } from './your-sessions.js';

/**
 * A session-backed app on bare `node:http`: the whole integration is `manager.load` before the
 * handler and `manager.commit` before the response head is written. The same demo as the
 * framework examples, "Your sessions" included (through `manager.owners`): each action redirects
 * to `/?status=<the status its request ended in>`.
 *
 * @example
 * ```ts
 * createApp({ store: new CookieSessionStore(), key: Key.generate() }).listen(3000)
 * ```
 */
export function createApp(options: SessionOptions): Server {
  const manager = createSessionManager(options);

  return createServer(async (req, res) => {
    let rs;
    try {
      rs = await manager.load(req.headers.cookie);
    } catch (error) {
      // The store failed: do not run the handler, leak nothing.
      console.error(error);
      res.writeHead(500).end();
      return;
    }
    let reply: Reply;
    try {
      reply = await handle(req, rs.session, manager.owners, options);
    } catch (error) {
      // Nothing is persisted: the request did not complete. A client that aborted its body
      // (readBody rejects with ECONNRESET) is gone, so there is no one to answer; anything else
      // is a bug, answered with an empty 500. Uncaught, the rejection would end the process.
      if (res.destroyed) return;
      console.error(error);
      res.writeHead(500).end();
      return;
    }
    try {
      const cookies = await manager.commit(rs, { status: reply.status });
      if (cookies.length > 0) res.setHeader('Set-Cookie', cookies);
    } catch (error) {
      console.error(error);
      res.writeHead(500).end();
      return;
    }
    res.writeHead(reply.status, reply.headers).end(reply.body);
  });
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

async function handle(req: IncomingMessage, session: Session, owners: SessionOwners, options: SessionOptions): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  switch (`${req.method} ${url.pathname}`) {
    case 'GET /': {
      const devices = await yourSessions(owners, session, options.store);
      const body = page(session, reportedStatus(url.searchParams.getAll('status')), devices);
      return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body };
    }
    case 'POST /counter':
      session.updateOr('counter', 1, (n: number) => n + 1);
      return back(session);
    case 'POST /login': {
      const user = new URLSearchParams(await readBody(req)).get('user')?.trim();
      if (!user) return { status: 400, headers: { 'Content-Type': 'text/plain' }, body: 'A user name is required' };
      session.insert('user', user);
      // Ties the session to the user, so it shows in their "Your sessions" and can be signed out.
      session.setOwner(user, ownerDetails(req.headers['user-agent']));
      // New privileges, new session key: defeats session fixation.
      session.renew();
      return back(session);
    }
    case 'POST /logout':
      session.purge();
      return back(session);
    case 'POST /sessions/revoke': {
      // "Sign out" on another device's row: only ever one of this user's own sessions.
      const id = new URLSearchParams(await readBody(req)).get('id');
      if (id !== null) await owners.revoke(session, id);
      return back(session);
    }
    case 'POST /sessions/revoke-others':
      await owners.revokeOthers(session);
      return back(session);
    default:
      return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not found' };
  }
}

/** Back to the page, telling it the status this request ended in. */
function back(session: Session): Reply {
  return { status: 303, headers: { Location: pageAfter(session.status) } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return body;
}

/** What each status means for the request that ended in it, in the words of the page. */
const MEANING: Readonly<Record<SessionStatus, string>> = {
  unchanged: 'nothing was written',
  changed: 'its data was saved',
  renewed: 'its data was saved under a new session key, so you got a new cookie',
  purged: 'it was deleted and its cookie removed',
};

function page(session: Session, lastStatus?: SessionStatus, sessions?: readonly OwnedSession[] | 'unlisted'): string {
  const user = session.get<string>('user');
  const counter = session.get<number>('counter') ?? 0;
  const lastAction =
    lastStatus === undefined
      ? ''
      : `<p>Your last action left the session <strong id="last-status">${lastStatus}</strong>: ${MEANING[lastStatus]}.</p>\n  `;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>@sess on node:http</title></head>
<body>
  <h1>@sess on node:http</h1>
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

