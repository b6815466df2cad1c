import { createServer } from 'node:http';
import { createApp } from '../src/app.js';
import { describeYourSessions } from '@sess/test-harness';

// "Your sessions" on the Koa demo, through the middleware's own `.owners`.
describeYourSessions('koa', (options) => createServer(createApp(options).callback()));
