import { createServer } from 'node:http';
import { createApp } from '../src/app.js';
import { describeYourSessions } from '@sess/test-harness';

// "Your sessions" on the Express demo, through the middleware's own `.owners`.
describeYourSessions('express', (options) => createServer(createApp(options)));
