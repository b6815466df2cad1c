import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { describeDemoApp } from '@sess/test-harness';
import { createApp } from '../src/app.js';

// Drives the demo like a browser would, over real HTTP, with the cookie store and with Redis: the
// same tests as every example app (see @sess/test-harness's describeDemoApp).
describeDemoApp('hono', (options) => createAdaptorServer({ fetch: createApp(options).fetch }) as Server);
