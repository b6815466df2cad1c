import { createApp } from '../src/app.js';
import { describeYourSessions } from '@sess/test-harness';

// "Your sessions" on the node:http demo, through `manager.owners`.
describeYourSessions('node-http', (options) => createApp(options));
