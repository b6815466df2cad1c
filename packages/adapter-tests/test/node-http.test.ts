import { describeAdapter } from '@sess/adapter-tests';
import { nodeHttpHarness } from './node-http-harness.js';

// The kit against bare node:http on @sess/core's manager: the walkthrough of the README.
describeAdapter('node:http', nodeHttpHarness());
