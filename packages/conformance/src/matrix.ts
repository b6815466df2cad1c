import type { ContentSecurity, SessionOptions } from '@sess/core';
import { type Adapter, type Route, type RunningServer } from '@sess/test-harness';

/**
 * One cell of the test matrix.
 *
 * @example
 * ```ts
 * const cell: MatrixCell<StoreFixture> = { label: 'koa × memory × signed', adapter, store, mode: 'signed' }
 * ```
 */
export interface MatrixCell<S extends { readonly name: string }> {
  /** `express × redis × signed`: the prefix of every test title in the cell. */
  readonly label: string;
  readonly adapter: Adapter;
  readonly store: S;
  readonly mode: ContentSecurity;
}

/**
 * Every adapter × store × mode combination, labelled for test titles.
 *
 * @example
 * ```ts
 * describe.each(matrix(ADAPTERS, stores, MODES))('$label:', ({ adapter, store, mode }) => { … })
 * ```
 */
export function matrix<S extends { readonly name: string }>(
  adapters: readonly Adapter[],
  stores: readonly S[],
  modes: readonly ContentSecurity[],
): MatrixCell<S>[] {
  return adapters.flatMap((adapter) =>
    stores.flatMap((store) =>
      modes.map((mode) => ({ label: `${adapter.name} × ${store.name} × ${mode}`, adapter, store, mode })),
    ),
  );
}

/**
 * Starts servers for one test and closes all of them afterwards.
 *
 * @example
 * ```ts
 * const servers = serverPool(adapter)
 * afterEach(servers.closeAll)
 * const server = await servers.start(routes, options)
 * ```
 */
export function serverPool(adapter: Adapter): {
  start(routes: readonly Route[], options: SessionOptions): Promise<RunningServer>;
  closeAll(): Promise<void>;
} {
  const running: RunningServer[] = [];
  return {
    async start(routes, options) {
      const server = await adapter.start(routes, options);
      running.push(server);
      return server;
    },
    async closeAll() {
      await Promise.all(running.splice(0).map((server) => server.close()));
    },
  };
}
