import type { LostUpdateResult } from '../report/results.js';
import { SCENARIO_REQUESTS, type Scenario } from '../scenarios.js';
import type { ContenderProcess } from './contender-process.js';
import { send, type RedisServer } from '@sess/test-harness';
import type { CookieCycle } from './load.js';
import type { LoadRunSettings } from './load-runner.js';
import { countLostUpdates } from './lost-updates.js';
import { startMonitor } from './redis-monitor.js';
import type { SanityReport } from './sanity.js';
import { createSessionPool } from './session-pool.js';

/** Requests per Redis contender and scenario in the MONITOR accounting pass. */
const ACCOUNTED_REQUESTS = 20;

/** What the steps before timing produced. */
export interface PreparedRun {
  readonly lostUpdates: LostUpdateResult[];
  /** Per server, the many-session scenarios' cookies. */
  readonly cycles: Map<ContenderProcess, CookieCycle>;
  /** Per Redis server and scenario, the commands its client sent per request (MONITOR, scripts' inner calls left out). */
  readonly clientCommands: Map<ContenderProcess, Map<Scenario, Record<string, number>>>;
}

/**
 * The untimed steps between the sanity pass and the warm-up: the concurrent-writers check, the
 * many-session pools, and the exact count of Redis commands each Redis contender sends per
 * request of each scenario (a short pass under MONITOR, since `INFO commandstats` during the timed
 * runs also counts what a Lua script runs inside Redis).
 *
 * @example
 * ```ts
 * const { lostUpdates, cycles, clientCommands } = await prepareRun(settings, servers, reports, redis)
 * ```
 */
export async function prepareRun(
  settings: LoadRunSettings,
  servers: readonly ContenderProcess[],
  reports: ReadonlyMap<ContenderProcess, SanityReport>,
  redis: RedisServer | undefined,
): Promise<PreparedRun> {
  const { log } = settings;
  const lostUpdates: LostUpdateResult[] = [];
  if (settings.lostUpdates !== undefined) {
    for (const server of servers.filter((s) => s.contender.kind === 'sess' || s.contender.kind === 'peer')) {
      const result = await countLostUpdates(server.contender, server.port, settings.lostUpdates);
      lostUpdates.push(result);
      log(`lost updates: ${result.id} ${result.lost} of ${result.expected}${result.failures > 0 ? ` (${result.failures} failed writes)` : ''}`);
    }
  }

  const cycles = new Map<ContenderProcess, CookieCycle>();
  if (settings.scenarios.some((s) => SCENARIO_REQUESTS[s].cookies === 'many')) {
    for (const server of servers) {
      cycles.set(server, { cookies: await createSessionPool(server.contender, server.port, settings.sessions), next: 0 });
    }
    log(`created ${settings.sessions} sessions per contender`);
  }

  const clientCommands = new Map<ContenderProcess, Map<Scenario, Record<string, number>>>();
  if (redis !== undefined) {
    for (const server of servers.filter((s) => s.contender.store === 'redis')) {
      const byScenario = new Map<Scenario, Record<string, number>>();
      for (const scenario of settings.scenarios) {
        const request = SCENARIO_REQUESTS[scenario];
        const cycle = cycles.get(server);
        const monitor = await startMonitor(redis.port);
        for (let i = 0; i < ACCOUNTED_REQUESTS; i++) {
          const cookie =
            request.cookies === 'one'
              ? reports.get(server)?.loadCookie
              : request.cookies === 'many' && cycle !== undefined && cycle.cookies.length > 0
                ? cycle.cookies[cycle.next++ % cycle.cookies.length]
                : undefined;
          await send(`http://127.0.0.1:${server.port}${request.path}`, {
            method: request.method,
            ...(cookie === undefined ? {} : { cookie }),
            ...(request.method === 'POST' ? { body: '' } : {}),
          });
        }
        const counts = await monitor.stop();
        byScenario.set(scenario, Object.fromEntries(Object.entries(counts).map(([name, n]) => [name, n / ACCOUNTED_REQUESTS])));
      }
      clientCommands.set(server, byScenario);
    }
  }
  return { lostUpdates, cycles, clientCommands };
}
