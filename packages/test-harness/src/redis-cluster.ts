import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { parseInfo, redisCommand } from './resp.js';

const run = promisify(execFile);

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** One client port per master, e.g. `[7000, 7001, 7002]`. */
  ports: readonly number[];
  /**
   * One cluster-bus port per master. Redis defaults to port + 10000, which would leave the
   * range reserved for these tests, so they are given explicitly (e.g. `[7040, 7041, 7042]`).
   */
  busPorts: readonly number[];
  /** How long to wait for `cluster_state:ok` on every node. Default 20 s. */
  readyTimeoutMs?: number;
}

/** A Redis Cluster started by {@link startRedisCluster}. */
export interface RedisCluster {
  /** The master nodes, in the order of `ports`. */
  readonly nodes: readonly RedisServer[];
  /** `rootNodes` for node-redis' `createCluster`. */
  readonly rootNodes: readonly { url: string }[];
  /** Stops every node and removes their working directories. */
  stop(): Promise<void>;
}

/**
 * Starts a Redis Cluster of `ports.length` masters without replicas on loopback, assigns all
 * 16384 slots with `redis-cli --cluster create`, and waits until every node reports
 * `cluster_state:ok`. Needs `redis-server` and `redis-cli` 7.0 or later (for `--cluster-port`).
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster({ ports: [7000, 7001, 7002], busPorts: [7040, 7041, 7042] })
 * const client = await createCluster({ rootNodes: [...cluster.rootNodes] }).connect()
 * ```
 */
export async function startRedisCluster(options: RedisClusterOptions): Promise<RedisCluster> {
  const { ports, busPorts, readyTimeoutMs = 20_000 } = options;
  if (ports.length !== busPorts.length || ports.length < 3) {
    throw new Error('A Redis Cluster needs at least 3 masters, each with a client port and a bus port');
  }
  const started = await Promise.allSettled(
    ports.map((port, i) =>
      startRedisServer({
        port,
        args: [
          '--cluster-enabled', 'yes',
          '--cluster-config-file', 'nodes.conf',
          '--cluster-port', String(busPorts[i]),
          '--cluster-node-timeout', '5000',
        ],
      }),
    ),
  );
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    await run(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { timeout: readyTimeoutMs },
    );
    await waitForClusterOk(ports, readyTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, rootNodes: nodes.map((node) => ({ url: node.url })), stop };
}

async function waitForClusterOk(ports: readonly number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const infos = await Promise.all(
      ports.map(async (port) => parseInfo(String(await redisCommand(port, ['CLUSTER', 'INFO'])))),
    );
    const ready = infos.every(
      (info) =>
        info.cluster_state === 'ok' &&
        info.cluster_slots_ok === '16384' &&
        info.cluster_known_nodes === String(ports.length),
    );
    if (ready) return;
    if (Date.now() > deadline) {
      throw new Error(`The Redis Cluster on ports ${ports.join(', ')} did not reach cluster_state:ok within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
