/**
 * `@sess/adapter-tests`: the adapter contract of `@sess`, as jest tests any framework adapter can
 * run against a small harness of its own (start an app from a neutral route table, stop it).
 *
 * @packageDocumentation
 */
export {
  describeAdapter,
  type AdapterCell,
  type AdapterStoreCase,
  type DescribeAdapterOptions,
} from './describe-adapter.js';
export { FailingLoadStore, FailingWriteStore, STORE_SECRET } from './failing-stores.js';
export {
  cookieHeader,
  findCookie,
  pairOf,
  removesCookie,
  send,
  sessionCookie,
  takeOversizeCookies,
  type HttpRequest,
  type HttpResponse,
} from './http-client.js';
export { listen } from './listen.js';
export { parseSetCookie, type SetCookie } from './parse-set-cookie.js';
export {
  json,
  text,
  type Harness,
  type Reply,
  type ReplyInit,
  type Route,
  type RouteRequest,
  type RunningServer,
} from './route-table.js';
export { sessionErrorOf } from './session-error-of.js';
