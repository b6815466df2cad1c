/**
 * A meeting point for concurrent request handlers: each `arrive()` waits until `count` handlers
 * have arrived (or `release()` is called), so every request has loaded the same state before any
 * of them commits: the interleaving that loses updates under last-writer-wins.
 *
 * @example
 * ```ts
 * const meet = barrier(32)
 * const route = { method: 'POST', path: '/inc', handle: async (s) => (s.updateOr('n', 0, (n) => n + 1), await meet.arrive(), json(null)) }
 * ```
 */
export interface Barrier {
  /** Resolves once `count` handlers have arrived, or once released. */
  arrive(): Promise<void>;
  /** Resolves once `count` handlers have arrived (the test waits on it), without arriving itself. */
  readonly full: Promise<void>;
  /** Lets every waiting and later handler through at once. */
  release(): void;
}

/**
 * Creates a {@link Barrier} for `count` handlers. With `gated`, reaching the count only resolves
 * `full`: the handlers wait for `release()`, so the test can run something (a logout) in between.
 *
 * @example
 * ```ts
 * const writers = barrier(32, { gated: true })
 * await writers.full; await logout(); writers.release()
 * ```
 */
export function barrier(count: number, { gated = false }: { gated?: boolean } = {}): Barrier {
  let arrived = 0;
  let open!: () => void;
  let filled!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const full = new Promise<void>((resolve) => (filled = resolve));
  return {
    arrive() {
      arrived += 1;
      if (arrived >= count) {
        filled();
        if (!gated) open();
      }
      return opened;
    },
    full,
    release: () => open(),
  };
}
