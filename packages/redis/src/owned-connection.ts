import { createClient } from 'redis';
import { withDeadline } from './deadline.js';
import type { RedisSessionCommands } from './redis-client.js';

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
    commandOptions: { timeout: 0 },
    socket: { connectTimeout: options.connectTimeoutMs, reconnectStrategy: reconnectDelayMs },
  });
}

type OwnedClient = ReturnType<typeof createOwnedClient>;

/** Settings of an {@link OwnedConnection}. */
export interface OwnedConnectionOptions {
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly onError: ((error: Error) => void) | undefined;
}

/**
 * The client a store creates from a URL, and owns: it connects on first use, reconnects forever
 * with capped backoff, and fails fast while Redis is known to be down.
 *
 * - No offline queue: while disconnected a command is refused at once, so requests during an
 *   outage fail quickly instead of piling up and running late, after the user has moved on.
 * - An `'error'` listener is always attached: Node.js would otherwise end the process on the
 *   first connection error. Errors go to `onError`, if given, and nowhere else.
 */
export class OwnedConnection {
  /** The client's commands. Call {@link OwnedConnection.ready} first. */
  readonly commands: RedisSessionCommands;
  readonly #client: OwnedClient;
  #started = false;
  #closed = false;
  /** The last connection error, until the next successful connection. */
  #unreachable: Error | undefined;
  /** Settles at the next `ready` or `error` event; shared by every caller waiting to connect. */
  #next: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(url: string, options: OwnedConnectionOptions) {
    const client = createOwnedClient(url, options);
    client.on('error', (error: Error) => {
      if (!client.isReady) {
        this.#unreachable = error;
        this.#settle(error);
      }
      if (options.onError !== undefined) {
        try {
          options.onError(error);
        } catch {
          // onError is documented not to throw; a failing logger must not crash the process.
        }
      }
    });
    client.on('ready', () => {
      this.#unreachable = undefined;
      this.#settle(undefined);
    });
    this.#client = client;
    this.commands = client;
  }

  /** Whether commands can be sent right now (connected and not closed), without waiting on `ready`. */
  get isReady(): boolean {
    return !this.#closed && this.#client.isReady;
  }

  /**
   * Resolves once the client is connected, waiting at most `budgetMs`. Starts connecting on the
   * first call. Rejects at once while the last connection attempt failed (the client keeps
   * reconnecting in the background), and once closed.
   */
  async ready(budgetMs: number): Promise<void> {
    if (this.#closed) throw new Error('The RedisSessionStore is closed');
    if (this.#client.isReady) return;
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
    await withDeadline(this.#next.promise, budgetMs, () => `Redis did not accept a connection within ${budgetMs} ms`);
  }

  /** Closes the client: gracefully within `budgetMs`, then by force. Idempotent. */
  async close(budgetMs: number): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#settle(new Error('The RedisSessionStore was closed'));
    // Never connected: nothing to release.
    if (!this.#client.isOpen) return;
    try {
      await withDeadline(this.#client.close(), budgetMs, () => `Redis did not close within ${budgetMs} ms`);
    } catch {
      this.#client.destroy();
    }
  }

  #settle(error: Error | undefined): void {
    const next = this.#next;
    this.#next = undefined;
    if (next === undefined) return;
    if (error === undefined) next.resolve();
    else next.reject(new Error('Redis is unreachable', { cause: error }));
  }
}
