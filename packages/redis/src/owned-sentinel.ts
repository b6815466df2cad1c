import { createSentinel } from 'redis';
import { withDeadline } from './deadline.js';
import type { RedisSentinelConfig } from './options.js';
import type { OwnedConnectionOptions, OwnedLink } from './owned-connection.js';
import { reconnectDelayMs } from './owned-connection.js';
import { QueuedCommandExpiry } from './queued-command-expiry.js';
import { STORE_TYPE_MAPPING, type RedisSessionClient, type RedisSessionCommands } from './redis-client.js';

function createOwnedSentinel(config: RedisSentinelConfig, options: OwnedConnectionOptions) {
  const socket = { connectTimeout: options.connectTimeoutMs, reconnectStrategy: reconnectDelayMs };
  return createSentinel({
    name: config.name,
    sentinelRootNodes: config.sentinels.map(({ host, port }) => ({ host, port })),
    // Never replicas: replication is asynchronous, so a replica can still hold the state from
    // before the last write (or no session at all right after a login) and would hand it out.
    replicaPoolSize: 0,
    // Commands are pipelined on one connection; a pool only helps blocking commands and
    // transactions, which the store never sends.
    masterPoolSize: 1,
    nodeClientOptions: { ...config.nodeClientOptions, socket: { ...socket, ...config.nodeClientOptions?.socket } },
    sentinelClientOptions: { ...config.sentinelClientOptions, socket: { ...socket, ...config.sentinelClientOptions?.socket } },
    // Errors of the connections inside (a primary going away, a sentinel unreachable) reach
    // the sentinel's own 'error' event, which always has a listener.
    passthroughClientErrorEvents: true,
  });
}

type OwnedSentinelClient = ReturnType<typeof createOwnedSentinel>;

/**
 * The node-redis sentinel client a store creates from a {@link RedisSentinelConfig}, and owns.
 * It connects on first use; node-redis then follows the primary: it listens to the sentinels'
 * `+switch-master` announcements, and when a command meets a `READONLY` reply (a primary demoted
 * before the announcement arrived) or a connection that dropped, it asks the sentinels again and
 * retries on the primary they name. Every store call stays bounded by `commandTimeoutMs`, and a
 * command still waiting when its call timed out is never sent late (see queued-command-expiry.ts).
 *
 * If the first connection fails (no sentinel answers, or none names a reachable primary, after
 * node-redis' own retries), the client is discarded and a fresh one tries on the next call.
 */
export class OwnedSentinel implements OwnedLink {
  readonly #config: RedisSentinelConfig;
  readonly #options: OwnedConnectionOptions;
  #sentinel: OwnedSentinelClient;
  #view: QueuedCommandExpiry;
  /** The first connection attempt of the current client, shared by every caller waiting on it. */
  #connecting: Promise<void> | undefined;
  #connected = false;
  #closed = false;

  constructor(config: RedisSentinelConfig, options: OwnedConnectionOptions) {
    this.#config = config;
    this.#options = options;
    this.#sentinel = this.#create();
    this.#view = this.#expiry(this.#sentinel);
  }

  /** Whether commands can be sent without waiting on `ready` (node-redis then follows the primary). */
  get isReady(): boolean {
    return this.#connected && !this.#closed;
  }

  /** Commands on the primary; call {@link OwnedSentinel.ready} first. */
  get commands(): RedisSessionCommands {
    return this.#view.commands();
  }

  /** Resolves once the first connection is up, waiting at most `budgetMs`. */
  async ready(budgetMs: number): Promise<void> {
    if (this.#closed) throw new Error('The RedisSessionStore is closed');
    if (this.#connected) return;
    if (this.#connecting === undefined) {
      const sentinel = this.#sentinel;
      this.#connecting = sentinel.connect().then(
        () => {
          if (sentinel === this.#sentinel) this.#connected = true;
        },
        (error: unknown) => {
          // node-redis gave up and tore the client down: the next call starts a fresh one.
          if (sentinel === this.#sentinel && !this.#closed) {
            this.#sentinel = this.#create();
            this.#view = this.#expiry(this.#sentinel);
            this.#connecting = undefined;
          }
          throw error;
        },
      );
      // Waiters attach their own handlers; this one only keeps an unobserved failure quiet.
      this.#connecting.catch(() => undefined);
    }
    await withDeadline(this.#connecting, budgetMs, () => `No sentinel named a reachable primary within ${budgetMs} ms`);
  }

  /** node-redis notices failovers itself; a silent primary is the sentinels' to replace. */
  unresponsive(): void {}

  /** node-redis rediscovers the primary on `READONLY` itself. */
  demoted(): void {}

  /** Closes the client: gracefully within `budgetMs`, then by force. Idempotent. */
  async close(budgetMs: number): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const sentinel = this.#sentinel;
    if (this.#connecting === undefined) return;
    try {
      await withDeadline(
        this.#connecting.then(() => sentinel.close()),
        budgetMs,
        () => `Redis did not close within ${budgetMs} ms`,
      );
    } catch {
      await sentinel.destroy().catch(() => undefined);
    }
  }

  #create(): OwnedSentinelClient {
    const sentinel = createOwnedSentinel(this.#config, this.#options);
    sentinel.on('error', (error: unknown) => {
      const onError = this.#options.onError;
      if (onError === undefined) return;
      try {
        onError(error instanceof Error ? error : new Error(String(error)));
      } catch {
        // onError is documented not to throw; a failing logger must not crash the process.
      }
    });
    return sentinel;
  }

  #expiry(sentinel: OwnedSentinelClient): QueuedCommandExpiry {
    return new QueuedCommandExpiry(
      sentinel as unknown as RedisSessionClient,
      { timeout: 0, typeMapping: STORE_TYPE_MAPPING },
      this.#options.commandTimeoutMs,
    );
  }
}
