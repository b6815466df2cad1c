import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { serverScript } from './build-servers.js';
import { contenderId, type Contender } from '../contenders.js';
import type { ChildMessage, StopMessage } from '../servers/serve-contender.js';
import { trackChild } from './child-registry.js';

/** A contender server running in its own process. */
export interface ContenderProcess {
  readonly contender: Contender;
  /** The server process itself (not a wrapper): the one whose CPU time is measured. */
  readonly pid: number;
  readonly port: number;
  /** Stops the server and waits for its process to exit (killed after 5 s). */
  stop(): Promise<void>;
}

/** How to start a contender process. */
export interface StartOptions {
  /** The `bench/` folder. */
  readonly benchDir: string;
  /**
   * `'compiled'` (default) runs the output of `buildServers` (call it first) with plain Node;
   * `'tsx'` runs `src/servers/*.ts` under tsx, whose `keepNames` taxes TypeScript code (see `buildServers`).
   */
  readonly runtime?: 'compiled' | 'tsx';
  /** Extra environment (the Redis URL). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  /** How long to wait for the server to listen. Default 30 s. */
  readonly readyTimeoutMs?: number;
}

const STOP_TIMEOUT_MS = 5000;

/**
 * Starts one contender as a child process of Node itself (so the child's pid is the server's, for
 * `/proc/<pid>/stat`) running the compiled `<framework>-server.mjs` (or, with `runtime: 'tsx'`,
 * `src/servers/<framework>-server.ts` under tsx's loader with the `source` condition), with
 * `NODE_ENV=production`. Resolves once the server listens on 127.0.0.1.
 *
 * @example
 * ```ts
 * const server = await startContender(contender, { benchDir })
 * // … load http://127.0.0.1:${server.port}
 * await server.stop()
 * ```
 */
export function startContender(contender: Contender, options: StartOptions): Promise<ContenderProcess> {
  const tsx = options.runtime === 'tsx';
  const script = tsx
    ? join(options.benchDir, 'src', 'servers', `${contender.framework}-server.ts`)
    : serverScript(options.benchDir, contender.framework);
  const child = trackChild(fork(script, [contender.name], {
    cwd: options.benchDir,
    // `--import tsx` resolves from the working directory: bench/node_modules/tsx.
    execArgv: [...(tsx ? ['--import', 'tsx', '--conditions=@sess/source'] : []), ...(options.nodeFlags ?? [])],
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  }));
  // Kept for error messages only: a healthy server prints nothing we need.
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const id = contenderId(contender);

  return new Promise<ContenderProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      fail(new Error(`${id} did not start listening within ${options.readyTimeoutMs ?? 30_000} ms\n${output}`));
    }, options.readyTimeoutMs ?? 30_000);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', fail);
    };
    function fail(error: Error): void {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    }
    function onExit(code: number | null, signal: NodeJS.Signals | null): void {
      fail(new Error(`${id} exited before listening (code ${code}, signal ${signal})\n${output}`));
    }
    function onMessage(message: ChildMessage): void {
      if (message.type === 'failed') {
        fail(new Error(`${id} failed to start: ${message.message}`));
        return;
      }
      cleanup();
      resolve({ contender, pid: message.pid, port: message.port, stop: () => stopChild(child) });
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', fail);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ type: 'stop' } satisfies StopMessage);
    else child.kill('SIGTERM');
  });
}
