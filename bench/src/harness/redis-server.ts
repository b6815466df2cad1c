import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { createClient } from 'redis';
import { trackChild } from './child-registry.js';

/** The port range this benchmark may use for its own Redis servers. */
export const REDIS_PORT_RANGE = { first: 7100, last: 7149 } as const;

/** A redis-server this process started, and a client to read its statistics. */
export interface DedicatedRedis {
  readonly port: number;
  /** The redis-server process, for its CPU time. */
  readonly pid: number;
  readonly url: string;
  /** `CONFIG RESETSTAT`: zeroes the per-command counters. */
  resetStats(): Promise<void>;
  /** Calls per command since the last reset, from `INFO commandstats`, without the harness's own commands. */
  commandCounts(): Promise<Record<string, number>>;
  /** Closes the statistics client and stops the server (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/**
 * Starts a private, non-persistent `redis-server` on the first free port of 7100–7149
 * (`--save "" --appendonly no`, loopback only), so the benchmark never touches the shared Redis
 * and its command statistics count only the contenders' commands.
 *
 * @example
 * ```ts
 * const redis = await startDedicatedRedis()
 * await redis.resetStats()
 * // … load a Redis contender …
 * const counts = await redis.commandCounts() // { get: 51234, set: 0, … }
 * await redis.stop()
 * ```
 */
export async function startDedicatedRedis(): Promise<DedicatedRedis> {
  let lastError: unknown;
  for (let port = REDIS_PORT_RANGE.first; port <= REDIS_PORT_RANGE.last; port++) {
    if (!(await portIsFree(port))) continue;
    try {
      return await startOn(port);
    } catch (error) {
      // Another process took the port between the check and the start: try the next one.
      lastError = error;
    }
  }
  throw new Error(`Could not start redis-server on any port of ${REDIS_PORT_RANGE.first}–${REDIS_PORT_RANGE.last}`, {
    cause: lastError,
  });
}

async function startOn(port: number): Promise<DedicatedRedis> {
  const child = trackChild(
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    await waitUntilListening(child, port, () => output);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }

  const url = `redis://127.0.0.1:${port}`;
  const stats = createClient({ url });
  stats.on('error', () => {
    // Surfaced by the command that fails; the server is ours and local.
  });
  try {
    await stats.connect();
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return {
    port,
    pid: child.pid as number,
    url,
    async resetStats() {
      await stats.sendCommand(['CONFIG', 'RESETSTAT']);
    },
    async commandCounts() {
      return parseCommandStats(String(await stats.sendCommand(['INFO', 'commandstats'])));
    },
    async stop() {
      try {
        await stats.close();
      } catch {
        // Already closed or the server is gone: stopping it is all that is left to do.
      }
      await stopProcess(child);
    },
  };
}

/**
 * Calls per command from the text of `INFO commandstats` (lines such as
 * `cmdstat_get:calls=10,usec=…`), lower-case names, without `info` and `config` (the harness's own).
 *
 * @example
 * ```ts
 * parseCommandStats('cmdstat_get:calls=10,usec=20\r\n') // { get: 10 }
 * ```
 */
export function parseCommandStats(info: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match === null) continue;
    const name = (match[1] as string).toLowerCase();
    if (name === 'info' || name.startsWith('config')) continue;
    counts[name] = Number(match[2]);
  }
  return counts;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function waitUntilListening(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited on port ${port}: ${output()}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not listen on port ${port} within 10 s: ${output()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
