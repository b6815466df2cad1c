import { createServer } from 'node:http';
import { createApp } from '../src/app.js';
import { describeYourSessions } from '../../express/test/your-sessions-suite.js';

// "Your sessions" on the Koa demo, through the middleware's own `.owners`.
describeYourSessions('koa', (options) => createServer(createApp(options).callback()));
