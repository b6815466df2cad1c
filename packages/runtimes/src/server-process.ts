import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** What {@link startServer} runs: one server process. */
export interface ServerCommand {
  /** The executable. */
  readonly command: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Extra environment variables, added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** The working directory. */
  readonly cwd?: string;
}

/** A server process started by {@link startServer}. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** Its process id, which is also its process group's id. */
  readonly pid: number;
  /** The last few kilobytes of its stdout and stderr, for error messages. */
  output(): string;
  /** Stops its whole process group (SIGTERM, then SIGKILL after a grace period); idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartOptions {
  /** Builds the command for a port; called again with a fresh port when a start fails. */
  readonly command: (port: number) => ServerCommand | Promise<ServerCommand>;
  /** Gives a free port (see `freePort`). */
  readonly port: () => Promise<number>;
  /** The path polled until it answers, e.g. `/`. */
  readonly readyPath: string;
  /** How long one start may take before it is abandoned. */
  readonly timeoutMs: number;
  /** Starts tried when the process exits before it is ready (a port taken meanwhile). Default 2. */
  readonly attempts?: number;
}

const OUTPUT_LIMIT = 8192;
const STOP_GRACE_MS = 3000;

/**
 * Starts a server process in its own process group and waits until it answers HTTP on
 * 127.0.0.1, by polling `readyPath` (any HTTP status counts as ready). Rejects, after stopping
 * what it started, when the process exits first or does not answer within `timeoutMs`; the
 * error carries the process's output.
 *
 * @example
 * ```ts
 * const server = await startServer({
 *   command: (port) => ({ command: denoBinary, args: ['run', '--allow-net', '--allow-env', bundle], env: { PORT: String(port) } }),
 *   port: freePort,
 *   readyPath: '/',
 *   timeoutMs: 30_000,
 * })
 * try { await fetch(server.baseUrl) } finally { await server.stop() }
 * ```
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const attempts = options.attempts ?? 2;
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = await options.port();
    const server = launch(await options.command(port), port);
    try {
      await waitUntilReady(server, options.readyPath, options.timeoutMs);
      return server;
    } catch (error) {
      await server.stop();
      lastError = error as Error;
      // Only an early exit can be a port lost to a race; a hang is not worth a second wait.
      if (!(error instanceof EarlyExitError)) break;
    }
  }
  throw lastError ?? new Error('startServer: no attempt made');
}

class EarlyExitError extends Error {}

interface LaunchedServer extends RunningServer {
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
}

function launch(spec: ServerCommand, port: number): LaunchedServer {
  const child: ChildProcess = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    // A process group of its own, so stop() reaches any process the runtime starts.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exitedWith: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => {
      exitedWith = `failed to start: ${error.message}`;
      resolve(exitedWith);
    });
    child.once('close', (code, signal) => {
      exitedWith = signal ? `killed by ${signal}` : `exit code ${String(code)}`;
      resolve(exitedWith);
    });
  });
  const pid = child.pid ?? -1;

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid,
    exited,
    hasExited: () => exitedWith !== undefined,
    output: () => output,
    async stop() {
      // Once the process has exited, its group id is not ours to signal any more.
      if (pid > 0 && exitedWith === undefined) {
        signalGroup('SIGTERM');
        const timer = new AbortController();
        const graceful = await Promise.race([
          exited.then(() => true),
          sleep(STOP_GRACE_MS, false, { signal: timer.signal }).catch(() => false),
        ]);
        // Cancels the grace timer, which would otherwise keep the event loop (and jest) waiting.
        timer.abort();
        if (!graceful) {
          signalGroup('SIGKILL');
          await exited;
        }
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
  };
}

async function waitUntilReady(server: LaunchedServer, readyPath: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.hasExited()) {
      throw new EarlyExitError(`exited before answering HTTP (${await server.exited}):\n${server.output()}`);
    }
    try {
      const response = await fetch(server.baseUrl + readyPath, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`did not answer HTTP on ${server.baseUrl}${readyPath} within ${timeoutMs} ms:\n${server.output()}`);
}
