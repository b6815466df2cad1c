import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandStats, parseInfo, redisCommand } from './resp.js';

/**
 * A range of loopback ports, both ends included.
 *
 * @example
 * ```ts
 * const mine: PortRange = { first: 7200, last: 7249 }
 * ```
 */
export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/**
 * Every loopback port a test or the bench may start a `redis-server` on (`.ci/run` checks that
 * none is left behind there). Each suite keeps to a slice of it; see the README's port plan.
 *
 * @example
 * ```ts
 * await startRedisServer({ port: TEST_PORTS.first })
 * ```
 */
export const TEST_PORTS: PortRange = Object.freeze({ first: 7000, last: 7299 });

/**
 * Options of {@link startRedisServer}: exactly one of `port` and `portRange`.
 *
 * @example
 * ```ts
 * const options: RedisServerOptions = { portRange: { first: 7100, last: 7149 } }
 * ```
 */
export interface RedisServerOptions {
  /** Loopback port, within {@link TEST_PORTS}. Fails if it is taken. */
  port?: number;
  /** Or: the first free port of this range (within {@link TEST_PORTS}). */
  portRange?: PortRange;
  /** Extra `redis-server` arguments, e.g. `['--cluster-enabled', 'yes']`. */
  args?: readonly string[];
  /**
   * A configuration file to start from (`redis-server <file> …`), for what cannot be given as
   * arguments alone: a Sentinel (`args: ['--sentinel']`) needs a file it can rewrite.
   */
  configFile?: string;
  /** How long to wait for the server to answer `PING`. Default 10 s. */
  readyTimeoutMs?: number;
}

/**
 * A `redis-server` process started by {@link startRedisServer}, with an inspector for exact
 * counts (`DBSIZE`, `INFO commandstats`) that no other test can disturb.
 *
 * @example
 * ```ts
 * await server.resetStats()
 * // … one request …
 * expect(await server.commandCalls()).toEqual({ get: 1 })
 * ```
 */
export interface RedisServer {
  /** The port it listens on (127.0.0.1 only). */
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The redis-server process id (as reported by `INFO server`). */
  readonly pid: number;
  /** The working directory (dump and cluster files); removed when the server is stopped. */
  readonly dir: string;
  /** Whether the process has exited. */
  readonly exited: boolean;
  /** Crashes it (`SIGKILL`): connections drop without a goodbye. Resolves once it has exited. */
  kill(): Promise<void>;
  /** Shuts it down (`SIGTERM`, then `SIGKILL` after 3 s). Resolves once it has exited. */
  stop(): Promise<void>;
  /** Freezes it (`SIGSTOP`): connections stay open but nothing is answered. */
  pause(): void;
  /** Thaws a paused server (`SIGCONT`). */
  resume(): void;
  /** Keys in database 0. */
  dbSize(): Promise<number>;
  /**
   * Calls per command (lower-case names) since the last {@link RedisServer.resetStats}, from
   * `INFO commandstats`, without the inspector's own `INFO` and `CONFIG …`.
   */
  commandCalls(): Promise<Record<string, number>>;
  /** `CONFIG RESETSTAT`: zeroes the per-command counters. */
  resetStats(): Promise<void>;
  /** `FLUSHDB` on this throwaway server. */
  flush(): Promise<void>;
}

const live = new Set<RedisServer>();

// Runs redis-server as a child of a tiny shell that kills it if this process dies without
// cleaning up (a jest worker killed on timeout, a crash): no redis-server outlives its test run.
const WATCHDOG = `
parent=$1; shift
"$@" &
child=$!
( while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
  kill -KILL "$child" 2>/dev/null ) </dev/null >/dev/null 2>&1 &
wait "$child"
`;

/**
 * Starts a throwaway `redis-server` on 127.0.0.1 with persistence off and a temporary working
 * directory, and waits until it answers `PING`: on `port` (failing if it is taken), or on the
 * first free port of `portRange`.
 *
 * @example
 * ```ts
 * const server = await startRedisServer({ port: 7010 })
 * try { … } finally { await server.stop() }
 * ```
 */
export async function startRedisServer(options: RedisServerOptions): Promise<RedisServer> {
  const { port, portRange } = options;
  if (port !== undefined) return startOn(checkedRange({ first: port, last: port }).first, options);
  if (portRange === undefined) throw new Error('startRedisServer needs a port or a portRange');
  const { first, last } = checkedRange(portRange);
  let lastError: unknown;
  for (let candidate = first; candidate <= last; candidate++) {
    try {
      return await startOn(candidate, options);
    } catch (error) {
      // Taken (by a server of another test file, or between the check and the start): the next one.
      lastError = error;
    }
  }
  throw new Error(`Could not start redis-server on any port of ${first}–${last}`, { cause: lastError });
}

function checkedRange(range: PortRange): PortRange {
  const inside = (port: number): boolean => Number.isInteger(port) && port >= TEST_PORTS.first && port <= TEST_PORTS.last;
  if (!inside(range.first) || !inside(range.last) || range.first > range.last) {
    throw new Error(`Ports ${range.first}–${range.last} are outside the range reserved for tests (${TEST_PORTS.first}–${TEST_PORTS.last})`);
  }
  return range;
}

async function startOn(port: number, options: RedisServerOptions): Promise<RedisServer> {
  const { args = [], configFile, readyTimeoutMs = 10_000 } = options;
  if (await isListening(port)) {
    throw new Error(`Port ${port} is already in use: a redis-server left over from an earlier run? (pgrep -a redis-server)`);
  }
  const dir = await mkdtemp(join(tmpdir(), `sess-redis-${port}-`));
  const serverArgs = [
    ...(configFile === undefined ? [] : [configFile]),
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', 'no',
    '--dir', dir,
    '--daemonize', 'no',
    '--loglevel', 'warning',
    ...args,
  ];
  const child = spawn('sh', ['-c', WATCHDOG, 'sess-redis-watchdog', String(process.pid), 'redis-server', ...serverArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exited = false;
  void exit.then(() => (exited = true));

  try {
    const pid = await waitUntilReady(port, child, exit, readyTimeoutMs, () => output);
    const server = handle({ port, pid, dir, exit, exited: () => exited });
    live.add(server);
    return server;
  } catch (error) {
    child.kill('SIGKILL');
    await exit;
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

interface Process {
  readonly port: number;
  readonly pid: number;
  readonly dir: string;
  readonly exit: Promise<void>;
  readonly exited: () => boolean;
}

function handle({ port, pid, dir, exit, exited }: Process): RedisServer {
  const cleanUp = async (): Promise<void> => {
    live.delete(server);
    await rm(dir, { recursive: true, force: true });
  };
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid,
    dir,
    get exited() {
      return exited();
    },
    async kill() {
      await terminate(pid, exit, exited, 'SIGKILL');
      await cleanUp();
    },
    async stop() {
      await terminate(pid, exit, exited, 'SIGTERM');
      await cleanUp();
    },
    pause() {
      if (!exited()) process.kill(pid, 'SIGSTOP');
    },
    resume() {
      if (!exited()) process.kill(pid, 'SIGCONT');
    },
    dbSize: async () => Number(await redisCommand(port, ['DBSIZE'])),
    commandCalls: async () => parseCommandStats(String(await redisCommand(port, ['INFO', 'commandstats']))),
    async resetStats() {
      await redisCommand(port, ['CONFIG', 'RESETSTAT']);
    },
    async flush() {
      await redisCommand(port, ['FLUSHDB']);
    },
  };
  return server;
}
/**
 * Stops every server this process started and has not stopped yet: call it in `afterAll` as a
 * safety net so that a failing test cannot leave processes behind.
 *
 * @example
 * ```ts
 * afterAll(stopAllRedisServers)
 * ```
 */
export async function stopAllRedisServers(): Promise<void> {
  await Promise.all([...live].map((server) => server.kill()));
}

async function waitUntilReady(
  port: number,
  child: ChildProcess,
  exit: Promise<void>,
  timeoutMs: number,
  output: () => string,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exit.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`redis-server on port ${port} exited (code ${child.exitCode}) before it was ready:\n${output()}`);
    try {
      if ((await redisCommand(port, ['PING'], 500)) === 'PONG') {
        const info = parseInfo(String(await redisCommand(port, ['INFO', 'server'])));
        return Number(info.process_id);
      }
    } catch {
      // Not listening yet (or still loading): poll again.
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} was not ready within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function terminate(pid: number, exit: Promise<void>, exited: () => boolean, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (exited()) return;
  try {
    // A paused process only acts on SIGTERM once it runs again.
    process.kill(pid, 'SIGCONT');
    process.kill(pid, signal);
  } catch {
    // Already gone: the watchdog shell exits right after.
  }
  let timer: NodeJS.Timeout | undefined;
  const escalate = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
      resolve();
    }, 3000);
  });
  await Promise.race([exit, escalate]);
  clearTimeout(timer);
  await exit;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
