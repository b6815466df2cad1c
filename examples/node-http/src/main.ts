import { CookieSessionStore, Key } from '@sess/core';
import { createApp } from './app.js';

// A persistent key keeps sessions valid across restarts: SESSION_KEY=$(openssl rand -base64 64)
const key = process.env.SESSION_KEY ? Key.from(Buffer.from(process.env.SESSION_KEY, 'base64')) : Key.generate();
const port = Number(process.env.PORT ?? 3000);

createApp({ store: new CookieSessionStore(), key }).listen(port, () => {
  console.log(`@sess node:http example on http://localhost:${port}`);
  if (!process.env.SESSION_KEY) console.log('(SESSION_KEY is not set: using a random key, sessions end on restart)');
});
