import { createServer } from 'node:http';
import { describeDemoApp } from '@sess/test-harness';
import { createApp } from '../src/app.js';

// Drives the demo like a browser would, over real HTTP, with the cookie store and with Redis: the
// same tests as every example app (see @sess/test-harness's describeDemoApp). Fastify routes from
// `app.routing` once its plugins have loaded.
describeDemoApp('fastify', (options) => {
  const app = createApp(options);
  const ready = app.ready();
  return createServer((req, res) => void ready.then(() => app.routing(req, res)));
});
