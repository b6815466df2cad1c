/**
 * Holds a slow request at a chosen point until the test lets it go: the request calls
 * `wait()`, the test awaits `reached`, does what must happen meanwhile, then calls `open()`.
 *
 * @example
 * ```ts
 * const gate = createGate()
 * const slow = send(`${url}/slow`, { method: 'POST', cookie })
 * await gate.reached
 * await send(`${url}/logout`, { method: 'POST', cookie })
 * gate.open()
 * ```
 */
export interface Gate {
  /** Resolves once a request is waiting at the gate. */
  readonly reached: Promise<void>;
  /** Called by the request: resolves when the test opens the gate. */
  wait(): Promise<void>;
  /** Lets every waiting (and later) request through. */
  open(): void;
}

/**
 * Creates a closed {@link Gate}.
 *
 * @example
 * ```ts
 * const gate = createGate()
 * ```
 */
export function createGate(): Gate {
  let arrive!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  const opened = new Promise<void>((resolve) => (release = resolve));
  return {
    reached,
    wait() {
      arrive();
      return opened;
    },
    open: () => release(),
  };
}

/**
 * Holds requests until `count` of them have arrived, then lets all of them go: 50 concurrent
 * writers all load the session before any of them writes. Rejects after `timeoutMs` so that a
 * request that never arrives fails the test instead of hanging it.
 *
 * @example
 * ```ts
 * const barrier = createBarrier(50)
 * // in the route, after the session was loaded:
 * await barrier.arrive()
 * ```
 */
export interface Barrier {
  /** Called by each request: resolves once `count` requests have called it. */
  arrive(): Promise<void>;
}

/**
 * Creates a {@link Barrier} for `count` requests.
 *
 * @example
 * ```ts
 * const barrier = createBarrier(50)
 * ```
 */
export function createBarrier(count: number, timeoutMs = 10_000): Barrier {
  let arrived = 0;
  let release!: () => void;
  let fail!: (error: Error) => void;
  const all = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  // Handled here as well, so that a barrier nobody waits on any more cannot crash the process.
  all.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  return {
    arrive() {
      arrived += 1;
      timer ??= setTimeout(() => fail(new Error(`barrier: only ${arrived} of ${count} requests arrived`)), timeoutMs);
      if (arrived === count) {
        clearTimeout(timer);
        release();
      }
      return all;
    },
  };
}
