// @sess/test-harness: the test infrastructure every suite of this repository shares (private).
// The route table, the HTTP client and listen are @sess/adapter-tests' (public), re-exported.
export { ADAPTERS } from './adapters.js';
export {
  MAX_HEADER_BYTES,
  json,
  text,
  type Adapter,
  type AdapterName,
  type Harness,
  type Reply,
  type ReplyInit,
  type Route,
  type RouteRequest,
  type RunningServer,
} from './app-spec.js';
export { describeDemoApp } from './demo-app-suite.js';
export { browser, type DemoBrowser, type DemoPage } from './demo-browser.js';
export { startExpress } from './harnesses/express-harness.js';
export { startFastify } from './harnesses/fastify-harness.js';
export { startHono } from './harnesses/hono-harness.js';
export { startKoa } from './harnesses/koa-harness.js';
export {
  cookieHeader,
  findCookie,
  listen,
  pairOf,
  parseSetCookie,
  removesCookie,
  send,
  sessionCookie,
  sessionErrorOf,
  takeOversizeCookies,
  type HttpRequest,
  type HttpResponse,
  type SetCookie,
} from '@sess/adapter-tests';
export { readBody } from './read-body.js';
export { freePorts } from './free-ports.js';
export { startRedisCluster, type RedisCluster, type RedisClusterOptions } from './redis-cluster.js';
export { startReplicatedCluster, type ReplicatedCluster, type ReplicatedClusterOptions } from './replicated-cluster.js';
export { startSentinelTopology, waitFor, type SentinelTopology, type SentinelTopologyOptions } from './sentinel-topology.js';
export {
  TEST_PORTS,
  startRedisServer,
  stopAllRedisServers,
  type PortRange,
  type RedisServer,
  type RedisServerOptions,
} from './redis-server.js';
export { parseCommandStats, parseInfo, redisCommand, type RespReply } from './resp.js';
export { describeYourSessions } from './your-sessions-suite.js';
