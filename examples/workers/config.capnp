# workerd's configuration for the example: what wrangler would generate, written by hand.
# `pnpm start` bundles src/worker.ts to dist/worker.js first; then `workerd serve config.capnp`.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  # The port can be changed at start: workerd serve config.capnp --socket-addr http=*:8080
  sockets = [(name = "http", address = "*:3000", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "dist/worker.js")],
  compatibilityDate = "2026-11-17",
  # No compatibilityFlags: no nodejs_compat, the worker gets Web APIs only.
  bindings = [
    # The key, from the environment variable of the same name (base64 of 64+ bytes). On
    # Cloudflare it is a secret instead: wrangler secret put SESSION_KEY
    (name = "SESSION_KEY", fromEnvironment = "SESSION_KEY"),
  ],
);
