import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { parseInfo, redisCommand } from './resp.js';

/** Options of {@link startSentinelTopology}. */
export interface SentinelTopologyOptions {
  /** The name the sentinels monitor the primary under (node-redis' `name`). Default `'sess'`. */
  name?: string;
  /** Port of the first primary. */
  primaryPort: number;
  /** Port of its replica. */
  replicaPort: number;
  /** One port per sentinel (three for a quorum of two). */
  sentinelPorts: readonly number[];
  /**
   * How long a node must stay silent before a sentinel considers it down. Short here so that a
   * failover test takes seconds; production setups use 5–30 s. Default 1000.
   */
  downAfterMs?: number;
  /** How long to wait for the replica to sync and every sentinel to see everyone. Default 20 s. */
  readyTimeoutMs?: number;
}

/** A primary, its replica and the sentinels watching them, started by {@link startSentinelTopology}. */
export interface SentinelTopology {
  readonly name: string;
  /** The data nodes, primary first (as started: after a failover the roles have swapped). */
  readonly nodes: readonly RedisServer[];
  readonly sentinels: readonly RedisServer[];
  /** `sentinelRootNodes` for node-redis' `createSentinel`. */
  readonly sentinelNodes: readonly { host: string; port: number }[];
  /** The port of the node the sentinels currently name as primary. */
  primaryPort(): Promise<number>;
  /** Waits until the sentinels name a primary other than `port` and it accepts writes. */
  waitForNewPrimary(port: number, timeoutMs: number): Promise<number>;
  /** Stops every process and removes every file it started with. */
  stop(): Promise<void>;
}

/**
 * Starts one primary, one replica of it and `sentinelPorts.length` sentinels (quorum: a
 * majority) on loopback, and waits until the replica is in sync and every sentinel knows the
 * replica and the other sentinels: from then on, killing the primary triggers a failover.
 *
 * @example
 * ```ts
 * const topology = await startSentinelTopology({ primaryPort: 7100, replicaPort: 7101, sentinelPorts: [7105, 7106, 7107] })
 * try { … } finally { await topology.stop() }
 * ```
 */
export async function startSentinelTopology(options: SentinelTopologyOptions): Promise<SentinelTopology> {
  const { name = 'sess', primaryPort, replicaPort, sentinelPorts, downAfterMs = 1000, readyTimeoutMs = 20_000 } = options;
  const confDir = await mkdtemp(join(tmpdir(), 'sess-sentinel-conf-'));
  const started: RedisServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((server) => server.stop()));
    await rm(confDir, { recursive: true, force: true });
  };
  try {
    // Diskless sync without delay: the replica is in sync within milliseconds, not 5 s.
    const fastSync = ['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'];
    const primary = await startRedisServer({ port: primaryPort, args: fastSync });
    started.push(primary);
    const replica = await startRedisServer({ port: replicaPort, args: [...fastSync, '--replicaof', '127.0.0.1', String(primaryPort)] });
    started.push(replica);
    await waitFor(readyTimeoutMs, 'the replica to sync', async () => parseInfo(String(await redisCommand(replicaPort, ['INFO', 'replication']))).master_link_status === 'up');
    const quorum = Math.floor(sentinelPorts.length / 2) + 1;
    const sentinels = await Promise.all(
      sentinelPorts.map(async (port) => {
        const configFile = join(confDir, `sentinel-${port}.conf`);
        await writeFile(
          configFile,
          [
            `sentinel monitor ${name} 127.0.0.1 ${primaryPort} ${quorum}`,
            `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
            // A stalled failover is retried after this long, and the next failover of the same
            // primary waits twice this long after the last one (Redis' default: 3 minutes).
            `sentinel failover-timeout ${name} ${2 * downAfterMs}`,
            '',
          ].join('\n'),
        );
        const sentinel = await startRedisServer({ port, configFile, args: ['--sentinel'] });
        started.push(sentinel);
        return sentinel;
      }),
    );
    await waitFor(readyTimeoutMs, 'every sentinel to know the replica and the other sentinels', async () => {
      const views = await Promise.all(sentinelPorts.map((port) => redisCommand(port, ['INFO', 'sentinel'])));
      return views.every((view) => String(view).includes(`slaves=1,sentinels=${sentinelPorts.length}`));
    });
    const topology: SentinelTopology = {
      name,
      nodes: [primary, replica],
      sentinels,
      sentinelNodes: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
      primaryPort: () => sentinelPrimaryPort(sentinelPorts, name),
      async waitForNewPrimary(port, timeoutMs) {
        let found = port;
        await waitFor(timeoutMs, `a primary other than ${port}`, async () => {
          found = await sentinelPrimaryPort(sentinelPorts, name);
          if (found === port) return false;
          return parseInfo(String(await redisCommand(found, ['INFO', 'replication']))).role === 'master';
        });
        return found;
      },
      stop,
    };
    return topology;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The primary's port as the first sentinel that answers names it. */
async function sentinelPrimaryPort(sentinelPorts: readonly number[], name: string): Promise<number> {
  let lastError: unknown;
  for (const port of sentinelPorts) {
    try {
      const reply = await redisCommandArray(port, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name]);
      return Number(reply[1]);
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error('No sentinel answered', { cause: lastError });
}

const run = promisify(execFile);

/** An array reply (which resp.ts does not parse), one element a line, through redis-cli. */
async function redisCommandArray(port: number, args: readonly string[]): Promise<string[]> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...args], { timeout: 2000 });
  return stdout.trim().split('\n');
}

/** Polls `check` every 50 ms until it resolves to `true`; fails after `timeoutMs`. */
export async function waitFor(timeoutMs: number, what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
