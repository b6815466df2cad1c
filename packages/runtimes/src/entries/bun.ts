// Bun entry of the runtime test: Bun.serve on 127.0.0.1:$PORT with the key from $SESSION_KEY.
import { createPortableApp } from '../portable-app.js';

// The two members of Bun's global this entry uses, declared here rather than adding a type
// package for them: tsconfig.web.json checks this file against Web types alone.
declare const Bun: {
  readonly env: Record<string, string | undefined>;
  serve(options: { hostname: string; port: number; fetch: (request: Request) => Response | Promise<Response> }): unknown;
};

const { PORT, SESSION_KEY } = Bun.env;
if (!PORT || !SESSION_KEY) throw new Error('bun entry: set PORT and SESSION_KEY');

Bun.serve({ hostname: '127.0.0.1', port: Number(PORT), fetch: createPortableApp(SESSION_KEY).fetch });
