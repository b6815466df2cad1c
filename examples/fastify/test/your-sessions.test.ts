import { createServer } from 'node:http';
import { describeYourSessions } from '@sess/test-harness';
import { createApp } from '../src/app.js';

// "Your sessions" on the Fastify demo, through the plugin's own `app.sessionOwners`.
describeYourSessions('fastify', (options) => {
  const app = createApp(options);
  const ready = app.ready();
  return createServer((req, res) => void ready.then(() => app.routing(req, res)));
});
