import { createApp } from '../src/app.js';
import { describeYourSessions } from '../../express/test/your-sessions-suite.js';

// "Your sessions" on the node:http demo, through `manager.owners`.
describeYourSessions('node-http', (options) => createApp(options));
