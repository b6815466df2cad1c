import type { ContentSecurity, SessionOptions } from '@sess/core';
import { type Adapter, type Route, type RunningServer, takeOversizeCookies } from '@sess/test-harness';
import type { StoreFixture } from './stores.js';

/**
 * Both content-security modes.
 *
 * @example
 * ```ts
 * cells(ADAPTERS, stores, MODES)
 * ```
 */
export const MODES: readonly ContentSecurity[] = ['private', 'signed'];

/**
 * One adapter × store × mode combination.
 *
 * @example
 * ```ts
 * describe.each(cells(ADAPTERS, stores, MODES))('$label', ({ adapter, store, mode }) => { … })
 * ```
 */
export interface Cell {
  /** `hono × redis × private`: the prefix of every test title in the cell. */
  readonly label: string;
  readonly adapter: Adapter;
  readonly store: StoreFixture;
  readonly mode: ContentSecurity;
}

/**
 * Every combination of the given adapters, stores and modes, labelled for test titles.
 *
 * @example
 * ```ts
 * cells(ADAPTERS, [MEMORY_FIXTURE, redis], ['private'])
 * ```
 */
export function cells(adapters: readonly Adapter[], stores: readonly StoreFixture[], modes: readonly ContentSecurity[]): Cell[] {
  return adapters.flatMap((adapter) =>
    stores.flatMap((store) => modes.map((mode) => ({ label: `${adapter.name} × ${store.name} × ${mode}`, adapter, store, mode }))),
  );
}

/**
 * Starts servers for the current test and closes all of them after it (registers the jest
 * `afterEach` hook itself). Also fails any test during which a server sent a `Set-Cookie` whose
 * `name=value` is over 4096 bytes.
 *
 * @example
 * ```ts
 * const servers = serverPool()
 * const server = await servers.start(adapter, routes, { store, key })
 * ```
 */
export function serverPool(): { start(adapter: Adapter, routes: readonly Route[], options: SessionOptions): Promise<RunningServer> } {
  const running: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
    expect(takeOversizeCookies()).toEqual([]);
  });
  return {
    async start(adapter, routes, options) {
      const server = await adapter.start(routes, options);
      running.push(server);
      return server;
    },
  };
}
