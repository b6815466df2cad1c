/** Runs one cleanup batch: deletes at most `batchSize` expired rows and says how many it deleted. */
export type DeleteBatch = (batchSize: number) => Promise<number>;

/**
 * Most batches one cleanup run deletes: a run is bounded (about `batchSize × 100` rows) even when
 * a backlog has built up; the next run continues where it stopped.
 *
 * @example
 * ```ts
 * await store.cleanup() // deletes at most cleanupBatchSize × CLEANUP_MAX_BATCHES rows
 * ```
 */
export const CLEANUP_MAX_BATCHES = 100;

/**
 * The expired-rows cleanup of a `PostgresSessionStore`: bounded batches, one after the other (never
 * a full-table delete holding locks on everything), on an interval timer the store owns. The timer
 * is unref'd, so it never keeps a process alive, and runs never overlap.
 *
 * @example
 * ```ts
 * const cleanup = new ExpiredRowsCleanup(deleteBatch, 1000, console.error)
 * cleanup.start(900_000)
 * ```
 */
export class ExpiredRowsCleanup {
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<number> | undefined;

  constructor(
    private readonly deleteBatch: DeleteBatch,
    private readonly batchSize: number,
    private readonly onError: ((error: Error) => void) | undefined,
  ) {}

  /** Runs the cleanup every `intervalMs`; failures go to `onError` and the next run tries again. */
  start(intervalMs: number): void {
    this.#timer = setInterval(() => {
      this.run().catch((error: unknown) => {
        try {
          this.onError?.(error instanceof Error ? error : new Error(String(error)));
        } catch {
          // onError must not throw; a timer callback that throws would crash the process.
        }
      });
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer (a run in progress finishes). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Deletes expired rows, batch after batch, until a batch comes back short or
   * {@link CLEANUP_MAX_BATCHES} ran; resolves to the rows deleted. A run already in progress is
   * joined rather than doubled.
   */
  run(batchSize = this.batchSize): Promise<number> {
    this.#running ??= this.#batches(batchSize).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #batches(batchSize: number): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < CLEANUP_MAX_BATCHES; batch++) {
      const deleted = await this.deleteBatch(batchSize);
      total += deleted;
      if (deleted < batchSize) break;
    }
    return total;
  }
}
