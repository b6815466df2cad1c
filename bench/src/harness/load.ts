import autocannon from 'autocannon';

/** One timed load run against one server. */
export interface LoadOptions {
  readonly port: number;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Sent unchanged on every request; none for a new visitor. */
  readonly cookie?: string | undefined;
  /** Many sessions instead: each request takes the next cookie of the cycle (wins over `cookie`). */
  readonly cycle?: CookieCycle | undefined;
  readonly connections: number;
  readonly durationSeconds: number;
}

/**
 * Cookies of many sessions handed out in turn, across runs (`next` moves on), so a cookie comes
 * back only after every other one was sent: no cache of recent values can answer it, and with
 * fewer connections than cookies no session ever has two requests in flight.
 */
export interface CookieCycle {
  readonly cookies: readonly string[];
  next: number;
}

/** What one load run measured. */
export interface LoadResult {
  /** Completed requests. */
  readonly requests: number;
  /** Wall-clock length of the run, in seconds. */
  readonly seconds: number;
  /** Completed requests per second. */
  readonly rps: number;
  /** Latency percentiles of the 2xx responses, in milliseconds (autocannon's histogram). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connection errors, timeouts and non-2xx responses: all should be 0. */
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
}

/**
 * Loads a server from this process with autocannon for a fixed time, `connections` keep-alive
 * connections, no pipelining (a browser does not pipeline), on 127.0.0.1.
 *
 * @example
 * ```ts
 * const result = await runLoad({ port, method: 'GET', path: '/read', cookie, connections: 32, durationSeconds: 5 })
 * ```
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { cycle } = options;
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}${options.path}`,
    method: options.method,
    connections: options.connections,
    pipelining: 1,
    duration: options.durationSeconds,
    headers: options.cookie === undefined ? {} : { cookie: options.cookie },
    // autocannon rebuilds a request that has a setupRequest before each send.
    ...(cycle === undefined || cycle.cookies.length === 0
      ? {}
      : {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => {
                const cookie = cycle.cookies[cycle.next++ % cycle.cookies.length] as string;
                return { ...request, headers: { ...request.headers, cookie } };
              },
            },
          ],
        }),
  });
  const seconds = Math.max((result.finish.getTime() - result.start.getTime()) / 1000, 1e-3);
  return {
    requests: result.requests.total,
    seconds,
    rps: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}
