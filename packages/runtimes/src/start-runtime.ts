import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from './free-port.js';
import { runtimeBinary, workerdCompatibilityDate, type RuntimeName } from './runtime-binaries.js';
import { startServer, type RunningServer, type ServerCommand } from './server-process.js';
import { workerdConfig } from './workerd-config.js';

/** Options of {@link startRuntime}. */
export interface StartRuntimeOptions {
  /** The bundled entry for this runtime (see `bundleEntries`). */
  readonly bundle: string;
  /** base64 of the 64-byte session key, the same for every runtime. */
  readonly sessionKey: string;
  /** The `packages/runtimes` folder (where the runtimes' npm packages are installed). */
  readonly packageDir: string;
  /** How long the runtime may take to answer its first request. */
  readonly timeoutMs: number;
}

/**
 * Serves a bundled entry of the portable app on a runtime, on a free port of 127.0.0.1, and
 * resolves once it answers HTTP. Node, Bun and Deno read `PORT` and `SESSION_KEY` from the
 * environment; workerd gets a generated `config.capnp` (next to the bundle) with the port in
 * its socket and the key as a text binding.
 *
 * @example
 * ```ts
 * const deno = await startRuntime('deno', { bundle, sessionKey, packageDir, timeoutMs: 30_000 })
 * await fetch(`${deno.baseUrl}/cookie`)
 * await deno.stop()
 * ```
 */
export function startRuntime(runtime: RuntimeName, options: StartRuntimeOptions): Promise<RunningServer> {
  const binary = runtimeBinary(runtime, options.packageDir);
  const command = async (port: number): Promise<ServerCommand> => {
    const env = { PORT: String(port), SESSION_KEY: options.sessionKey };
    switch (runtime) {
      case 'node':
        return { command: binary, args: [options.bundle], env };
      case 'bun':
        return { command: binary, args: ['run', options.bundle], env };
      case 'deno':
        // Only the two permissions the entry needs; the bundle imports nothing, so no download.
        return {
          command: binary,
          args: ['run', '--allow-net=127.0.0.1', '--allow-env=PORT,SESSION_KEY', '--no-prompt', options.bundle],
          env: { ...env, DENO_NO_UPDATE_CHECK: '1' },
        };
      case 'workerd': {
        const config = path.join(path.dirname(options.bundle), `workerd-${port}.capnp`);
        await writeFile(
          config,
          workerdConfig({
            moduleFile: path.basename(options.bundle),
            address: `127.0.0.1:${port}`,
            compatibilityDate: workerdCompatibilityDate(options.packageDir),
            textBindings: { SESSION_KEY: options.sessionKey },
          }),
        );
        return { command: binary, args: ['serve', config] };
      }
    }
  };
  return startServer({ command, port: freePort, readyPath: '/cookie', timeoutMs: options.timeoutMs });
}
