import { contenderId, FRAMEWORKS, type Contender } from '../contenders.js';
import type { SampleSet } from '../report/aggregate.js';
import type { LostUpdateResult, RunSample, SanitySummary } from '../report/results.js';
import { SCENARIO_REQUESTS, type Scenario } from '../scenarios.js';
import { REDIS_URL_ENV } from '../servers/server-settings.js';
import { startContender, type ContenderProcess } from './contender-process.js';
import { runLoad } from './load.js';
import type { LostUpdateSettings } from './lost-updates.js';
import { prepareRun } from './prepare-run.js';
import { cpus } from 'node:os';
import { machineBusyMicros, processCpuMicros } from './process-cpu.js';
import type { RedisServer } from '@sess/test-harness';
import { startBenchRedis } from './bench-redis.js';
import { sanityCheck, type SanityReport } from './sanity.js';

/** What to run. */
export interface LoadRunSettings {
  readonly benchDir: string;
  /** How the servers run (see `startContender`); the compiled servers must be built first. */
  readonly runtime: 'compiled' | 'tsx';
  readonly contenders: readonly Contender[];
  readonly scenarios: readonly Scenario[];
  readonly rounds: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  /** Distinct sessions per contender for the many-session scenarios. */
  readonly sessions: number;
  /** The concurrent-writers check, or `undefined` to skip it. */
  readonly lostUpdates: LostUpdateSettings | undefined;
  /** Progress lines (the runner prints them to stderr). */
  readonly log: (line: string) => void;
}

/** The raw outcome of the load runs. */
export interface LoadRunOutcome {
  readonly sanity: readonly SanitySummary[];
  readonly sets: readonly SampleSet[];
  readonly lostUpdates: readonly LostUpdateResult[];
}

/** Pause between two timed runs, so sockets of the last run close before the next starts. */
const SETTLE_MS = 200;

/**
 * Starts every contender (each in its own process, all idle but the one under load) and, when
 * one of them uses Redis, a dedicated redis-server; runs the sanity pass (throwing
 * `SanityError` at the first contender that fails it); warms every (contender, scenario) up;
 * then runs the timed rounds: for each round, for each scenario, for each framework, every
 * contender in turn (the order rotated each round), measuring req/s and latency (autocannon),
 * server CPU (`/proc/<pid>/stat`) and Redis commands (`INFO commandstats`). Stops everything it
 * started, whatever happens.
 *
 * @example
 * ```ts
 * const { sanity, sets } = await runLoadBenchmarks({ benchDir, contenders, scenarios: SCENARIOS, rounds: 3, … })
 * ```
 */
export async function runLoadBenchmarks(settings: LoadRunSettings): Promise<LoadRunOutcome> {
  const { log } = settings;
  let redis: RedisServer | undefined;
  const servers: ContenderProcess[] = [];
  try {
    if (settings.contenders.some((c) => c.store === 'redis')) {
      redis = await startBenchRedis();
      log(`redis-server (dedicated) on port ${redis.port}`);
    }
    const env: Record<string, string> = redis === undefined ? {} : { [REDIS_URL_ENV]: redis.url };
    log(`starting ${settings.contenders.length} servers…`);
    servers.push(...(await startAll(settings, env)));

    const reports = new Map<ContenderProcess, SanityReport>();
    for (const server of servers) {
      const report = await sanityCheck(server.contender, server.port);
      reports.set(server, report);
      log(`sanity ok: ${report.id}${report.newVisitorGetsCookie ? ' (sets a cookie for new visitors)' : ''}`);
    }

    const { lostUpdates, cycles, clientCommands } = await prepareRun(settings, servers, reports, redis);

    const measure = async (server: ContenderProcess, scenario: Scenario, seconds: number, round: number): Promise<RunSample> => {
      const request = SCENARIO_REQUESTS[scenario];
      const cookie = request.cookies === 'one' ? reports.get(server)?.loadCookie : undefined;
      const cycle = request.cookies === 'many' ? cycles.get(server) : undefined;
      const usesRedis = redis !== undefined && server.contender.store === 'redis';
      if (usesRedis) await redis?.resetStats();
      const cpuBefore = processCpuMicros(server.pid);
      const machineBefore = machineBusyMicros();
      const selfBefore = process.cpuUsage();
      const redisBefore = redis === undefined ? 0 : processCpuMicros(redis.pid);
      const result = await runLoad({
        port: server.port,
        method: request.method,
        path: request.path,
        cookie,
        cycle,
        connections: settings.connections,
        durationSeconds: seconds,
      });
      const cpuMicros = processCpuMicros(server.pid) - cpuBefore;
      const self = process.cpuUsage(selfBefore);
      const ours = cpuMicros + self.user + self.system + (redis === undefined ? 0 : processCpuMicros(redis.pid) - redisBefore);
      const capacity = result.seconds * 1_000_000 * cpus().length;
      const otherCpuPercent = Math.max(0, (100 * (machineBusyMicros() - machineBefore - ours)) / capacity);
      const requests = Math.max(result.requests, 1);
      let redisPerRequest: Record<string, number> | undefined;
      if (usesRedis && redis !== undefined) {
        redisPerRequest = {};
        for (const [name, calls] of Object.entries(await redis.commandCalls())) redisPerRequest[name] = calls / requests;
      }
      return {
        round,
        requests: result.requests,
        rps: result.rps,
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        cpuMicrosPerRequest: cpuMicros / requests,
        ...(redisPerRequest === undefined ? {} : { redisPerRequest }),
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        otherCpuPercent,
      };
    };

    if (settings.warmupSeconds > 0) {
      log(`warm-up: ${settings.warmupSeconds} s per contender and scenario`);
      for (const server of servers) {
        for (const scenario of settings.scenarios) await measure(server, scenario, settings.warmupSeconds, 0);
      }
    }

    const samples = new Map<string, RunSample[]>();
    const keyOf = (server: ContenderProcess, scenario: Scenario): string => `${contenderId(server.contender)} ${scenario}`;
    for (let round = 1; round <= settings.rounds; round++) {
      for (const scenario of settings.scenarios) {
        for (const framework of FRAMEWORKS) {
          const group = servers.filter((s) => s.contender.framework === framework);
          for (const server of rotate(group, round - 1)) {
            await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
            const sample = await measure(server, scenario, settings.durationSeconds, round);
            const key = keyOf(server, scenario);
            samples.set(key, [...(samples.get(key) ?? []), sample]);
            log(
              `round ${round}/${settings.rounds} ${scenario.padEnd(11)} ${contenderId(server.contender).padEnd(34)} ` +
                `${Math.round(sample.rps).toString().padStart(6)} req/s  p99 ${sample.p99Ms} ms  ` +
                `${Math.round(sample.cpuMicrosPerRequest)} µs CPU/req  other ${Math.round(sample.otherCpuPercent)} %` +
                (sample.errors + sample.non2xx + sample.timeouts > 0 ? `  ⚠ ${sample.errors} errors ${sample.non2xx} non-2xx` : ''),
            );
          }
        }
      }
    }

    const sets: SampleSet[] = [];
    for (const server of servers) {
      for (const scenario of settings.scenarios) {
        const clientPerRequest = clientCommands.get(server)?.get(scenario);
        sets.push({
          contender: server.contender,
          scenario,
          samples: samples.get(keyOf(server, scenario)) ?? [],
          ...(clientPerRequest === undefined ? {} : { redisClientPerRequest: clientPerRequest }),
        });
      }
    }
    const sanity = servers.map((server) => {
      const report = reports.get(server) as SanityReport;
      return {
        id: report.id,
        label: server.contender.label,
        newVisitorGetsCookie: report.newVisitorGetsCookie,
        cookieNames: report.cookieNames,
      };
    });
    return { sanity, sets, lostUpdates };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await redis?.stop();
  }
}

/** Starts the servers a few at a time (tsx compiles each on start; all at once would thrash 2 cores). */
async function startAll(settings: LoadRunSettings, env: Record<string, string>): Promise<ContenderProcess[]> {
  const started: ContenderProcess[] = new Array<ContenderProcess>(settings.contenders.length);
  let next = 0;
  const failures: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < settings.contenders.length && failures.length === 0) {
      const index = next++;
      try {
        started[index] = await startContender(settings.contenders[index] as Contender, {
          benchDir: settings.benchDir,
          runtime: settings.runtime,
          env,
        });
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  const running = started.filter((s): s is ContenderProcess => s !== undefined);
  if (failures.length > 0) {
    await Promise.all(running.map((s) => s.stop()));
    throw failures[0];
  }
  return running;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
