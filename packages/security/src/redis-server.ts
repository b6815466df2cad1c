import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

/**
 * The loopback ports this package may start `redis-server` processes on; other suites in the
 * repository use other ranges.
 *
 * @example
 * ```ts
 * await startRedisServer(SECURITY_REDIS_PORTS.first)
 * ```
 */
export const SECURITY_REDIS_PORTS = Object.freeze({ first: 7200, last: 7249 });

/**
 * A throwaway `redis-server` of a test's own, for exact counts (`DBSIZE`, `INFO commandstats`)
 * that no other test can disturb.
 *
 * @example
 * ```ts
 * const redis = await startRedisServer(7200)
 * expect(await redis.dbSize()).toBe(0)
 * await redis.stop()
 * ```
 */
export interface DedicatedRedis {
  readonly url: string;
  /** Keys in database 0. */
  dbSize(): Promise<number>;
  /**
   * Calls per command since the last {@link DedicatedRedis.resetStats}, read from
   * `INFO commandstats`, without the inspector's own `INFO` and `CONFIG RESETSTAT`.
   */
  commandCalls(): Promise<Record<string, number>>;
  /** `CONFIG RESETSTAT`. */
  resetStats(): Promise<void>;
  /** `FLUSHDB` on this throwaway server. */
  flush(): Promise<void>;
  /** Disconnects the inspector and shuts the server down (`SIGTERM`, `SIGKILL` after 3 s). */
  stop(): Promise<void>;
}

// The server runs under a tiny shell that kills it if the jest process dies without cleaning up
// (a worker killed on timeout, a crash): no redis-server outlives its test run.
const WATCHDOG = `
parent=$1; shift
"$@" &
child=$!
( while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
  kill -KILL "$child" 2>/dev/null ) </dev/null >/dev/null 2>&1 &
wait "$child"
`;

/**
 * Starts `redis-server` on `127.0.0.1:port` (within {@link SECURITY_REDIS_PORTS}) with
 * persistence off, and connects an inspector client to it.
 *
 * @example
 * ```ts
 * const redis = await startRedisServer(7200)
 * ```
 */
export async function startRedisServer(port: number): Promise<DedicatedRedis> {
  if (!Number.isInteger(port) || port < SECURITY_REDIS_PORTS.first || port > SECURITY_REDIS_PORTS.last) {
    throw new Error(`port ${port} is outside this package's range ${SECURITY_REDIS_PORTS.first}–${SECURITY_REDIS_PORTS.last}`);
  }
  const dir = await mkdtemp(join(tmpdir(), `sess-security-redis-${port}-`));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
  const child = spawn('sh', ['-c', WATCHDOG, 'sess-security-redis', String(process.pid), 'redis-server', ...args], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;

  let inspector: ReturnType<typeof createClient>;
  const deadline = Date.now() + 10_000;
  for (;;) {
    inspector = createClient({ url, socket: { reconnectStrategy: false } });
    inspector.on('error', () => undefined);
    try {
      await inspector.connect();
      break;
    } catch (error) {
      inspector.destroy();
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        await exited;
        await rm(dir, { recursive: true, force: true });
        throw new Error(`redis-server on port ${port} did not start (is the port taken?)`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const pid = Number(/process_id:(\d+)/.exec(await inspector.info('server'))?.[1]);
  if (!Number.isInteger(pid)) throw new Error(`redis-server on port ${port} did not report its process id`);

  return {
    url,
    dbSize: () => inspector.dbSize(),
    async commandCalls() {
      const calls: Record<string, number> = {};
      for (const line of (await inspector.info('commandstats')).split(/\r?\n/)) {
        const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
        if (match && match[1] !== 'info' && match[1] !== 'config|resetstat') calls[match[1] as string] = Number(match[2]);
      }
      return calls;
    },
    async resetStats() {
      await inspector.configResetStat();
    },
    async flush() {
      await inspector.flushDb();
    },
    async stop() {
      inspector.destroy();
      // The redis-server itself, not only its watchdog shell.
      signal(pid, 'SIGTERM');
      const timer = setTimeout(() => signal(pid, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Sends `name` to `pid`, ignoring a process that is already gone. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // ESRCH: it exited meanwhile, which is what we wanted.
  }
}
