// workerd entry of the runtime test: an ES module worker. The key arrives as the SESSION_KEY text
// binding of the generated config.capnp; the port is the config's socket. No nodejs_compat flag.
import type { Hono } from 'hono';
import { createPortableApp } from '../portable-app.js';

interface Env {
  readonly SESSION_KEY: string;
}

// Built on the first request rather than at module scope: a module worker's bindings (the key)
// are only handed to its handlers.
let app: Hono | undefined;

export default {
  fetch(request: Request, env: Env): Response | Promise<Response> {
    app ??= createPortableApp(env.SESSION_KEY);
    return app.fetch(request, env);
  },
};
