// Node entry of the runtime test: @hono/node-server on 127.0.0.1:$PORT with the key from $SESSION_KEY.
import { serve } from '@hono/node-server';
import { createPortableApp } from '../portable-app.js';

const { PORT, SESSION_KEY } = process.env;
if (!PORT || !SESSION_KEY) throw new Error('node entry: set PORT and SESSION_KEY');

const server = serve({ fetch: createPortableApp(SESSION_KEY).fetch, hostname: '127.0.0.1', port: Number(PORT) });
process.once('SIGTERM', () => server.close());
