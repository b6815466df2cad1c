import { setMaxListeners } from 'node:events';
import type { RedisSessionClient, RedisSessionCommandOptions, RedisSessionCommands } from './redis-client.js';

/**
 * Views of a client the caller passed in whose commands node-redis drops from its queue once
 * they have waited unsent for `timeoutMs` (and at most a quarter more).
 *
 * Why: the store answers every call within `commandTimeoutMs` on its own (deadline.ts), but a
 * caller's client usually keeps node-redis' offline queue. While Redis is down each command
 * waits there for the next connection; abandoned by the store, it would pile up for the whole
 * outage and then be sent on reconnecting: saves nobody holds a key to, updates overwriting a
 * state the user changed since. Aborting a command's `abortSignal` removes it from the queue if
 * it is still unsent (once written, node-redis ignores the signal).
 *
 * Cost: node-redis' own `timeout` option does the same with an `AbortSignal.timeout` per
 * command, which profiles show on every request. Here the commands sent within one slice of
 * time share one signal (and one timer), so each command only adds and removes a listener.
 *
 * @example
 * ```ts
 * const expiry = new QueuedCommandExpiry(client, { timeout: 0, typeMapping: STORE_TYPE_MAPPING }, 2000)
 * await expiry.commands().get(key) // dropped from the client's queue if unsent after 2–2.5 s
 * ```
 */
export class QueuedCommandExpiry {
  readonly #client: RedisSessionClient;
  readonly #options: RedisSessionCommandOptions;
  readonly #timeoutMs: number;
  readonly #sliceMs: number;
  #current: RedisSessionCommands | undefined;
  /** When (`performance.now()`) the current view stops being handed out. */
  #currentUntil = 0;

  constructor(client: RedisSessionClient, options: RedisSessionCommandOptions, timeoutMs: number) {
    this.#client = client;
    this.#options = options;
    this.#timeoutMs = timeoutMs;
    this.#sliceMs = Math.max(1, Math.ceil(timeoutMs / 4));
  }

  /** A view whose commands, sent now, are dropped if still unsent `timeoutMs` to 1.25 × `timeoutMs` from now. */
  commands(): RedisSessionCommands {
    const now = performance.now();
    if (this.#current === undefined || now >= this.#currentUntil) {
      this.#current = this.#open(now);
    }
    return this.#current;
  }

  #open(now: number): RedisSessionCommands {
    const controller = new AbortController();
    // One listener per queued command: during an outage there are legitimately thousands.
    setMaxListeners(0, controller.signal);
    this.#currentUntil = now + this.#sliceMs;
    // The last command of this slice is sent just before it ends: it gets its full timeoutMs,
    // and its call has already failed (deadline.ts) by the time the signal drops it.
    const timer = setTimeout(() => controller.abort(), this.#sliceMs + this.#timeoutMs);
    // Never keeps the process alive: nothing to drop once the process is going away.
    timer.unref();
    return this.#client.withCommandOptions({ ...this.#options, abortSignal: controller.signal });
  }
}
