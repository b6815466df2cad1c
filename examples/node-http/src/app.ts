import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createSessionManager, type Session, type SessionOptions } from '@sess/core';

/**
 * A session-backed app on bare `node:http`: the whole integration is `manager.load` before the
 * handler and `manager.commit` before the response head is written.
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
    const reply = await handle(req, rs.session);
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

async function handle(req: IncomingMessage, session: Session): Promise<Reply> {
  const route = `${req.method} ${new URL(req.url ?? '/', 'http://localhost').pathname}`;
  switch (route) {
    case 'GET /':
      return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page(session) };
    case 'POST /counter':
      session.updateOr('counter', 1, (n: number) => n + 1);
      return back();
    case 'POST /login': {
      const user = new URLSearchParams(await readBody(req)).get('user')?.trim();
      if (!user) return { status: 400, headers: { 'Content-Type': 'text/plain' }, body: 'A user name is required' };
      session.insert('user', user);
      // New privileges, new session key: defeats session fixation.
      session.renew();
      return back();
    }
    case 'POST /logout':
      session.purge();
      return back();
    default:
      return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not found' };
  }
}

function back(): Reply {
  return { status: 303, headers: { Location: '/' } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return body;
}

function page(session: Session): string {
  const user = session.get<string>('user');
  const counter = session.get<number>('counter') ?? 0;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>@sess on node:http</title></head>
<body>
  <h1>@sess on node:http</h1>
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

