import { CookieSessionStore, MemorySessionStore, type ContentSecurity, type SessionOptions, type SessionStore } from '@sess/core';
import { acceptanceTests } from './groups/acceptance.js';
import { cookieTests } from './groups/cookies.js';
import { failureTests } from './groups/failures.js';
import { integrationTests } from './groups/integration.js';
import { responseHeadTests } from './groups/response-head.js';
import type { Harness, Route, RunningServer } from './route-table.js';

/**
 * A store the kit runs the adapter with.
 *
 * @example
 * ```ts
 * const memory: AdapterStoreCase = { name: 'memory', invalidationSupported: true, store: () => new MemorySessionStore() }
 * ```
 */
export interface AdapterStoreCase {
  /** Shown in test titles. */
  readonly name: string;
  /**
   * actix's `is_invalidation_supported`: once a session is purged or renewed, its old cookie
   * loads nothing (true for server-side stores, false for the cookie store).
   */
  readonly invalidationSupported: boolean;
  /** The store for one app (fresh or shared). */
  store(): SessionStore;
  /** Connects what the store needs, in `beforeAll`. */
  open?(): Promise<void>;
  /** Cleans up, in `afterAll`. */
  close?(): Promise<void>;
}

/**
 * Options of {@link describeAdapter}.
 *
 * @example
 * ```ts
 * describeAdapter('fastify', startFastify, { modes: ['signed'] })
 * ```
 */
export interface DescribeAdapterOptions {
  /** Default: the cookie store and a memory store, both from `@sess/core`. */
  readonly stores?: readonly AdapterStoreCase[];
  /** Default: both, `signed` and `private`, as actix runs its suite with each. */
  readonly modes?: readonly ContentSecurity[];
}

/**
 * What each group of the kit gets: the cell it runs in and a way to start apps that are all
 * stopped after each test.
 *
 * @example
 * ```ts
 * const server = await cell.start(routes, { store: cell.store.store(), key, cookie: { contentSecurity: cell.mode } })
 * ```
 */
export interface AdapterCell {
  readonly store: AdapterStoreCase;
  readonly mode: ContentSecurity;
  start(routes: readonly Route[], options: SessionOptions): Promise<RunningServer>;
}

const DEFAULT_STORES: readonly AdapterStoreCase[] = [
  { name: 'cookie', invalidationSupported: false, store: () => new CookieSessionStore() },
  { name: 'memory', invalidationSupported: true, store: () => new MemorySessionStore() },
];

/**
 * Registers the adapter contract of `@sess` as jest tests, run over real HTTP against the apps
 * `start` serves: actix-session's acceptance scenarios, opaque errors, the ≥500 rule, the
 * handler's own cookies kept, the commit before the response head, HEAD, 204 and 304. Every
 * test title starts with `name × store × mode:`.
 *
 * @example
 * ```ts
 * import { describeAdapter } from '@sess/adapter-tests'
 * describeAdapter('node:http', startNodeHttp)
 * ```
 */
export function describeAdapter(name: string, start: Harness, options: DescribeAdapterOptions = {}): void {
  const stores = options.stores ?? DEFAULT_STORES;
  const modes = options.modes ?? ['signed', 'private'];
  beforeAll(async () => {
    for (const store of stores) await store.open?.();
  });
  afterAll(async () => {
    for (const store of stores) await store.close?.();
  });
  for (const store of stores) {
    for (const mode of modes) {
      describe(`${name} × ${store.name} × ${mode}:`, () => {
        const running: RunningServer[] = [];
        afterEach(async () => {
          await Promise.all(running.splice(0).map((server) => server.close()));
        });
        const cell: AdapterCell = {
          store,
          mode,
          async start(routes, sessionOptions) {
            const server = await start(routes, sessionOptions);
            running.push(server);
            return server;
          },
        };
        acceptanceTests(cell);
        cookieTests(cell);
        failureTests(cell);
        responseHeadTests(cell);
        // Stores of the kit's own that fail on purpose: once per mode, not per store.
        if (store === stores[0]) integrationTests(cell);
      });
    }
  }
}
