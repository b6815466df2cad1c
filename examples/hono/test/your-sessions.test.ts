import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { createApp } from '../src/app.js';
import { describeYourSessions } from '@sess/test-harness';

// "Your sessions" on the Hono demo, through the middleware's own `.owners`.
describeYourSessions('hono', (options) => createAdaptorServer({ fetch: createApp(options).fetch }) as Server);
