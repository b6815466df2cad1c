import { CookieSessionStore, Key } from '@sess/core';
import { createApp } from './app.js';

// A persistent key keeps sessions valid across restarts:
// SESSION_KEY=$(node -p "require('crypto').randomBytes(64).toString('base64')")
const key = process.env.SESSION_KEY ? Key.fromBase64(process.env.SESSION_KEY) : Key.generate();
const port = Number(process.env.PORT ?? 3000);

const server = createApp({ store: new CookieSessionStore(), key }).listen(port, () => {
  console.log(`@sess node:http example on http://localhost:${port}`);
  if (!process.env.SESSION_KEY) console.log('(SESSION_KEY is not set: using a random key, sessions end on restart)');
});
// A listen error (a port in use) is an 'error' event of the server: end with a non-zero exit.
server.once('error', (error: NodeJS.ErrnoException) => {
  const inUse = error.code === 'EADDRINUSE';
  console.error(`@sess node:http example: cannot listen on port ${port}: ${inUse ? 'the port is in use, start with PORT=<another port>' : error.message}`);
  process.exit(1);
});
