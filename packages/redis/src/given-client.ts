import { SessionConfigError } from '@sess/core';
import { QueuedCommandExpiry } from './queued-command-expiry.js';
import { STORE_TYPE_MAPPING, type RedisSessionClient, type RedisSessionCommands } from './redis-client.js';

/** The part of a node-redis sentinel client that tells whether it reads from replicas. */
interface SentinelReplicas {
  getReplicaNodes(): ReadonlyMap<unknown, number>;
}

/**
 * A client the caller passed in (a node-redis client, cluster or sentinel client), seen through
 * views with the store's options; the client itself is left untouched. Every call is bounded by
 * the store's own deadline, so node-redis' per-command timer is switched off; the views still
 * drop from the client's (offline) queue a command whose call timed out.
 *
 * Sessions are read from the primary only: a sentinel client with replicas (`replicaPoolSize` >
 * 0) would send `GET` to a replica, which can lag the primary, so it is refused on every call
 * (its replicas are only known once it has connected, hence not at construction).
 *
 * @example
 * ```ts
 * const given = new GivenClient(client, 2000)
 * await given.commands().get(key)
 * ```
 */
export class GivenClient {
  readonly #expiry: QueuedCommandExpiry;
  readonly #sentinel: SentinelReplicas | undefined;

  constructor(client: RedisSessionClient, commandTimeoutMs: number) {
    this.#sentinel = 'getReplicaNodes' in client ? (client as SentinelReplicas) : undefined;
    this.#expiry = new QueuedCommandExpiry(client, { timeout: 0, typeMapping: STORE_TYPE_MAPPING }, commandTimeoutMs);
  }

  /** A view for commands sent now. Throws `SessionConfigError` for a sentinel client that reads from replicas. */
  commands(): RedisSessionCommands {
    if (this.#sentinel !== undefined && this.#sentinel.getReplicaNodes().size > 0) {
      throw new SessionConfigError(
        'client',
        'a sentinel client given to the store must keep replicaPoolSize at 0: it would read sessions from replicas, which can lag the primary',
      );
    }
    return this.#expiry.commands();
  }
}
