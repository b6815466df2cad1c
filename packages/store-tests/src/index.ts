/**
 * `@sess/store-tests`: the `SessionStore` conformance suite of `@sess/core`, as jest tests any
 * store package can run against its own store.
 *
 * @packageDocumentation
 */
export { describeSessionStore } from './describe-session-store.js';
export type {
  SessionStoreCapabilities,
  StoreFixture,
  StoreFixtureFactory,
  StoreInspector,
} from './fixture.js';
export { JSON_SAMPLES, canonical, stateOf } from './json-samples.js';
