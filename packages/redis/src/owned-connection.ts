import { createClient } from 'redis';
import { RedisTimeoutError, withDeadline } from './deadline.js';
import { STORE_TYPE_MAPPING, type RedisSessionCommands } from './redis-client.js';

/**
 * Longest pause between two reconnection attempts of a store that owns its client: once Redis is
 * back, requests work again within about this long.
 *
 * @example
 * ```ts
 * await until(() => store.load(key), RECONNECT_MAX_DELAY_MS + commandTimeoutMs)
 * ```
 */
export const RECONNECT_MAX_DELAY_MS = 1000;

/** Most commands an owned client queues (unsent or awaiting replies) before refusing new ones. */
export const COMMAND_QUEUE_MAX_LENGTH = 10_000;

/**
 * When to try again after the `retries`-th failed connection attempt: exponential backoff from
 * 50 ms, capped at {@link RECONNECT_MAX_DELAY_MS}, plus jitter so that many processes do not
 * reconnect in lockstep. It never gives up: a session store must come back by itself.
 */
export function reconnectDelayMs(retries: number): number {
  return Math.min(50 * 2 ** Math.min(retries, 16), RECONNECT_MAX_DELAY_MS) + Math.floor(Math.random() * 100);
}

function createOwnedClient(url: string, options: OwnedConnectionOptions) {
  return createClient({
    url,
    disableOfflineQueue: true,
    // Bounded even while connected (a stalled socket): past this, commands fail at once.
    commandsQueueMaxLength: COMMAND_QUEUE_MAX_LENGTH,
    // The store bounds every call with one deadline of its own (deadline.ts); node-redis' default
    // per-command timeout would add an AbortSignal.timeout to every command, a cost the
    // benchmarks show on every request.
    commandOptions: { timeout: 0, typeMapping: STORE_TYPE_MAPPING },
    socket: { connectTimeout: options.connectTimeoutMs, reconnectStrategy: reconnectDelayMs },
  });
}

type OwnedClient = ReturnType<typeof createOwnedClient>;

/** What `RedisSessionStore` needs of a connection it owns ({@link OwnedConnection}, `OwnedSentinel`). */
export interface OwnedLink {
  /** Whether commands can be sent right now, without waiting on `ready`. */
  readonly isReady: boolean;
  /** The commands of the current connection. */
  readonly commands: RedisSessionCommands;
  /** Resolves once commands can be sent, waiting at most `budgetMs`; rejects when they cannot. */
  ready(budgetMs: number): Promise<void>;
  /** A command sent on `commands` got no reply within `waitedMs`. */
  unresponsive(commands: RedisSessionCommands, waitedMs: number): void;
  /** A command sent on `commands` got a `READONLY` reply: the node is a replica now. */
  demoted(commands: RedisSessionCommands, error: Error): void;
  /** Closes the connection within `budgetMs`. Idempotent. */
  close(budgetMs: number): Promise<void>;
}

/** Settings of an {@link OwnedConnection}. */
export interface OwnedConnectionOptions {
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly onError: ((error: Error) => void) | undefined;
}

/**
 * The client a store creates from a URL, and owns: it connects on first use, reconnects forever
 * with capped backoff, and fails fast while Redis is known to be down or unresponsive.
 *
 * - No offline queue: while disconnected a command is refused at once, so requests during an
 *   outage fail quickly instead of piling up and running late, after the user has moved on.
 * - A connection that stops answering is replaced. node-redis only notices a dead connection
 *   when the socket errors, which for a frozen server or a half-open link (a host gone without a
 *   FIN or RST) takes until the kernel gives up, minutes later, if ever: meanwhile every request
 *   would wait its whole deadline and the command queue would fill. So when a command sent on a
 *   connection that was up gets no reply within its deadline, the store destroys that client
 *   (every command in flight on it fails at once) and connects a new one, which is on probation:
 *   requests fail at once, without waiting, until the new connection has answered a `PING`; a
 *   connection that stays silent for `commandTimeoutMs` after connecting is replaced again.
 * - A primary demoted by a failover is left. A `READONLY` reply means the node behind the URL is
 *   a replica now; the client is replaced the same way, and its successor is on probation until
 *   `ROLE` answers `master` (retried every `commandTimeoutMs`): an address that follows the
 *   primary (a managed service's primary endpoint, a virtual IP) then leads to the new primary,
 *   and sessions are never read from the demoted node meanwhile.
 * - An `'error'` listener is always attached: Node.js would otherwise end the process on the
 *   first connection error. Errors go to `onError`, if given, and nowhere else.
 */
export class OwnedConnection implements OwnedLink {
  readonly #url: string;
  readonly #options: OwnedConnectionOptions;
  /** The current client; replaced, never reused, when its connection stops answering. */
  #client: OwnedClient;
  #started = false;
  #closed = false;
  /** The last connection error (or silence), until a connection is usable again. */
  #unreachable: Error | undefined;
  /** The current client's socket is connected and has not failed since. */
  #socketUp = false;
  /** The current client replaced one that stopped answering and has not answered a `PING` yet. */
  #probation = false;
  /** Why the client on probation is not usable yet, when it answered (a replica). */
  #probationFailure: Error | undefined;
  /** Replaces a client on probation whose connection stays silent. */
  #probationTimer: ReturnType<typeof setTimeout> | undefined;
  /** Settles at the next `ready` or `error` event; shared by every caller waiting to connect. */
  #next: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(url: string, options: OwnedConnectionOptions) {
    this.#url = url;
    this.#options = options;
    this.#client = this.#create();
  }

  /** The current client's commands. Call {@link OwnedConnection.ready} first. */
  get commands(): RedisSessionCommands {
    return this.#client;
  }

  /** Whether commands can be sent right now (connected, answering, not closed), without waiting on `ready`. */
  get isReady(): boolean {
    return !this.#closed && !this.#probation && this.#client.isReady;
  }

  /**
   * Tells the connection that a command sent through `commands` (the `commands` of that moment)
   * got no reply within its deadline. If that client's socket is still up, the server or the
   * link is unresponsive: the client is replaced (see the class description). Otherwise, or if
   * it was replaced already, this does nothing: node-redis is reconnecting by itself.
   */
  unresponsive(commands: RedisSessionCommands, waitedMs: number): void {
    if (this.#closed || commands !== this.#client || !this.#socketUp) return;
    this.#replace(new RedisTimeoutError(`Redis did not answer within ${waitedMs} ms; the store is reconnecting`));
  }

  /**
   * Tells the connection that a command sent through `commands` got a `READONLY` reply: the
   * server is a replica now. Replaces the client (see the class description) unless it was
   * replaced already.
   */
  demoted(commands: RedisSessionCommands, error: Error): void {
    if (this.#closed || commands !== this.#client) return;
    this.#replace(new Error('Redis answered READONLY: the node is a replica now; the store is reconnecting', { cause: error }));
  }

  /**
   * Resolves once the client is connected, waiting at most `budgetMs`. Starts connecting on the
   * first call. Rejects at once while the last connection attempt failed (the client keeps
   * reconnecting in the background), and once closed.
   */
  async ready(budgetMs: number): Promise<void> {
    if (this.#closed) throw new Error('The RedisSessionStore is closed');
    if (this.isReady) return;
    if (!this.#started) {
      this.#started = true;
      // Retries forever in the background; its errors reach waiters through the 'error' event.
      this.#client.connect().catch(() => undefined);
    } else if (this.#unreachable !== undefined) {
      throw new Error('Redis is unreachable; the store keeps reconnecting in the background', {
        cause: this.#unreachable,
      });
    }
    if (this.#next === undefined) {
      let resolve!: () => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Waiters attach their own handlers; this one only keeps an unobserved failure quiet.
      promise.catch(() => undefined);
      this.#next = { promise, resolve, reject };
    }
    const client = this.#client;
    // Connected but the handshake unanswered: as silent as a command left without a reply.
    await withDeadline(this.#next.promise, budgetMs, () => `Redis did not accept a connection within ${budgetMs} ms`, () =>
      this.unresponsive(client, budgetMs),
    );
  }

  /** Closes the client: gracefully within `budgetMs`, then by force. Idempotent. */
  async close(budgetMs: number): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#probationTimer);
    this.#settle(new Error('The RedisSessionStore was closed'));
    // Never connected: nothing to release.
    if (!this.#client.isOpen) return;
    try {
      await withDeadline(this.#client.close(), budgetMs, () => `Redis did not close within ${budgetMs} ms`);
    } catch {
      this.#client.destroy();
    }
  }

  #create(): OwnedClient {
    const client = createOwnedClient(this.#url, this.#options);
    // Events of a client already replaced change nothing; its errors are still reported.
    const current = (): boolean => client === this.#client && !this.#closed;
    client.on('error', (error: Error) => {
      if (current()) {
        this.#socketUp = false;
        clearTimeout(this.#probationTimer);
        if (!client.isReady) {
          this.#unreachable = error;
          this.#settle(error);
        }
      }
      if (this.#options.onError !== undefined) {
        try {
          this.#options.onError(error);
        } catch {
          // onError is documented not to throw; a failing logger must not crash the process.
        }
      }
    });
    client.on('connect', () => {
      if (!current()) return;
      this.#socketUp = true;
      if (!this.#probation) return;
      clearTimeout(this.#probationTimer);
      this.#probationFailure = undefined;
      const silentMs = this.#options.commandTimeoutMs;
      this.#probationTimer = setTimeout(() => {
        if (current() && this.#probation && this.#socketUp) {
          this.#replace(this.#probationFailure ?? new RedisTimeoutError(`Redis accepted a connection but did not answer within ${silentMs} ms`));
        }
      }, silentMs);
      this.#probationTimer.unref();
    });
    client.on('ready', () => {
      if (!current()) return;
      if (!this.#probation) {
        this.#usable();
        return;
      }
      // ROLE answered on this very connection proves the server answers again, and that it is
      // a primary. Otherwise (a replica, an error) the probation timer or the next 'error'
      // replaces this client.
      client.sendCommand(['ROLE']).then(
        (reply) => {
          if (!current() || !this.#probation) return;
          if (isPrimary(reply)) this.#usable();
          else {
            this.#probationFailure = new Error('The Redis server behind the url is a replica; waiting for a primary there');
            this.#unreachable = this.#probationFailure;
          }
        },
        () => undefined,
      );
    });
    return client;
  }

  /** Swaps in a fresh client for one whose connection stopped answering. */
  #replace(cause: Error): void {
    const old = this.#client;
    this.#probation = true;
    this.#socketUp = false;
    clearTimeout(this.#probationTimer);
    // Calls from now on fail at once (ready() rejects with it) until the new client answers.
    this.#unreachable = cause;
    this.#settle(cause);
    this.#client = this.#create();
    // Rejects every command still waiting on the old connection: their calls fail now rather
    // than at their own deadlines, and nothing stays queued on a connection nobody reads.
    old.destroy();
    this.#client.connect().catch(() => undefined);
  }

  #usable(): void {
    this.#probation = false;
    clearTimeout(this.#probationTimer);
    this.#unreachable = undefined;
    this.#settle(undefined);
  }

  #settle(error: Error | undefined): void {
    const next = this.#next;
    this.#next = undefined;
    if (next === undefined) return;
    if (error === undefined) next.resolve();
    else next.reject(new Error('Redis is unreachable', { cause: error }));
  }
}

/** Whether a `ROLE` reply is a primary's (`master`, then its offset and replicas). */
function isPrimary(reply: unknown): boolean {
  return Array.isArray(reply) && String(reply[0]) === 'master';
}
