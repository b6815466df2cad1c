// Deno entry of the runtime test: Deno.serve on 127.0.0.1:$PORT with the key from $SESSION_KEY.
import { createPortableApp } from '../portable-app.js';

// The members of Deno's global this entry uses (see bun.ts for why not the runtime's own types).
declare const Deno: {
  readonly env: { get(name: string): string | undefined };
  serve(
    options: { hostname: string; port: number; onListen?: () => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
};

const port = Deno.env.get('PORT');
const sessionKey = Deno.env.get('SESSION_KEY');
if (!port || !sessionKey) throw new Error('deno entry: set PORT and SESSION_KEY');

// onListen replaces Deno's "Listening on" line: the test polls for readiness instead.
Deno.serve({ hostname: '127.0.0.1', port: Number(port), onListen() {} }, createPortableApp(sessionKey).fetch);
