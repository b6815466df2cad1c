import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { parseInfo, redisCommand } from './resp.js';
import { waitFor } from './sentinel-topology.js';

const run = promisify(execFile);

/** Options of {@link startReplicatedCluster}. */
export interface ReplicatedClusterOptions {
  /** Client ports: the first half become primaries, the second half their replicas (in order). */
  ports: readonly number[];
  /** One cluster-bus port per node (Redis' default, port + 10000, would leave the test range). */
  busPorts: readonly number[];
  /**
   * `cluster-node-timeout`: how long a primary must be unreachable before its replica takes
   * over. Short here so that a failover test takes seconds; Redis' default is 15 s. Default 1000.
   */
  nodeTimeoutMs?: number;
  /** How long to wait for a healthy cluster with every replica in sync. Default 30 s. */
  readyTimeoutMs?: number;
}

/** A Redis Cluster with one replica per primary, started by {@link startReplicatedCluster}. */
export interface ReplicatedCluster {
  /** Every node, in the order of `ports` (roles as started: a failover swaps them). */
  readonly nodes: readonly RedisServer[];
  /** `rootNodes` for node-redis' `createCluster`. */
  readonly rootNodes: readonly { url: string }[];
  /** The port of the primary that currently serves `key`'s slot, as the cluster itself says. */
  primaryOf(key: string): Promise<number>;
  /** Stops every node and removes their working directories. */
  stop(): Promise<void>;
}

/**
 * Starts a Redis Cluster of `ports.length / 2` primaries, each with one replica, on loopback:
 * slots assigned and replicas attached by `redis-cli --cluster create --cluster-replicas 1`, ready
 * once every node reports `cluster_state:ok` and every replica's link to its primary is up.
 *
 * @example
 * ```ts
 * const cluster = await startReplicatedCluster({ ports: [7110, …, 7115], busPorts: [7140, …, 7145] })
 * try { … } finally { await cluster.stop() }
 * ```
 */
export async function startReplicatedCluster(options: ReplicatedClusterOptions): Promise<ReplicatedCluster> {
  const { ports, busPorts, nodeTimeoutMs = 1000, readyTimeoutMs = 30_000 } = options;
  if (ports.length !== busPorts.length || ports.length < 6 || ports.length % 2 !== 0) {
    throw new Error('A replicated cluster needs an even number (at least 6) of nodes, each with a client port and a bus port');
  }
  const started = await Promise.allSettled(
    ports.map((port, i) =>
      startRedisServer({
        port,
        args: [
          '--cluster-enabled', 'yes',
          '--cluster-config-file', 'nodes.conf',
          '--cluster-port', String(busPorts[i]),
          '--cluster-node-timeout', String(nodeTimeoutMs),
          // A replica may take over however long its link was down: the test kills primaries.
          '--cluster-replica-validity-factor', '0',
          '--repl-diskless-sync', 'yes',
          '--repl-diskless-sync-delay', '0',
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
    // redis-cli pairs the first half as primaries with the second half as their replicas.
    await run(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '1', '--cluster-yes'],
      { timeout: readyTimeoutMs },
    );
    await waitFor(readyTimeoutMs, `a healthy cluster on ${ports.join(', ')}`, async () => {
      const infos = await Promise.all(ports.map(async (port) => parseInfo(String(await redisCommand(port, ['CLUSTER', 'INFO'])))));
      const healthy = infos.every(
        (info) => info.cluster_state === 'ok' && info.cluster_slots_ok === '16384' && info.cluster_known_nodes === String(ports.length),
      );
      if (!healthy) return false;
      const replication = await Promise.all(ports.map(async (port) => parseInfo(String(await redisCommand(port, ['INFO', 'replication'])))));
      const replicas = replication.filter((info) => info.role === 'slave');
      return replicas.length === ports.length / 2 && replicas.every((info) => info.master_link_status === 'up');
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes,
    rootNodes: nodes.map((node) => ({ url: node.url })),
    async primaryOf(key) {
      // Only the primary serving the key's slot answers a GET; every other node answers MOVED
      // (replicas too, outside READONLY mode), and a dead one does not answer at all.
      for (const node of nodes) {
        if (node.exited) continue;
        try {
          await redisCommand(node.port, ['GET', key], 500);
          return node.port;
        } catch {
          // MOVED, or not reachable: another node serves the slot.
        }
      }
      throw new Error(`No live primary serves the slot of ${key}`);
    },
    stop,
  };
}
