import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { contenderId, type Contender } from '../contenders.js';
import { startContender } from '../harness/contender-process.js';
import { runLoad } from '../harness/load.js';
import type { RedisServer } from '@sess/test-harness';
import { startBenchRedis } from '../harness/bench-redis.js';
import { sanityCheck } from '../harness/sanity.js';
import { createSessionPool } from '../harness/session-pool.js';
import { DEFAULT_SESSIONS, SCENARIO_REQUESTS, type Scenario } from '../scenarios.js';
import { REDIS_URL_ENV } from '../servers/server-settings.js';
import { renderProfileSummary, summarizeCpuProfile } from './cpu-profile.js';

/** What to profile. */
export interface ProfileSettings {
  readonly benchDir: string;
  /** How the server runs (see `startContender`); the compiled servers must be built first. */
  readonly runtime: 'compiled' | 'tsx';
  readonly contender: Contender;
  readonly scenarios: readonly Scenario[];
  readonly seconds: number;
  readonly connections: number;
  /** Where the `.cpuprofile` files go (open them in Chrome DevTools or VS Code for flame graphs). */
  readonly outDir: string;
  readonly log: (line: string) => void;
}

/**
 * Profiles one contender under load, one fresh process per scenario, started with
 * `node --cpu-prof`: the sanity pass, then `seconds` of load, then a clean exit so V8 writes the
 * profile. Returns a markdown summary (hottest functions by self time, self time per module).
 * Process start-up (module loading, tsx compiling) is in the profile too: keep `seconds` long
 * (10 s or more) so the load dominates.
 *
 * @example
 * ```ts
 * const markdown = await profileContender({ benchDir, contender, scenarios: ['write'], seconds: 10, … })
 * ```
 */
export async function profileContender(settings: ProfileSettings): Promise<string> {
  const { contender, log } = settings;
  const id = contenderId(contender);
  mkdirSync(settings.outDir, { recursive: true });
  let redis: RedisServer | undefined;
  const sections: string[] = [];
  try {
    if (contender.store === 'redis') redis = await startBenchRedis();
    for (const scenario of settings.scenarios) {
      // One folder per run: Node writes a profile per thread (tsx's loader runs on its own thread).
      const dir = join(settings.outDir, `${id.replace('/', '-')}-${scenario}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const server = await startContender(contender, {
        benchDir: settings.benchDir,
        runtime: settings.runtime,
        env: redis === undefined ? {} : { [REDIS_URL_ENV]: redis.url },
        nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
      });
      let rps: number;
      try {
        const report = await sanityCheck(contender, server.port);
        const request = SCENARIO_REQUESTS[scenario];
        // Session creation lands in the profile too, like process start-up: keep the duration long.
        const cycle =
          request.cookies === 'many' ? { cookies: await createSessionPool(contender, server.port, DEFAULT_SESSIONS), next: 0 } : undefined;
        log(`profiling ${id} ${scenario} for ${settings.seconds} s`);
        const result = await runLoad({
          port: server.port,
          method: request.method,
          path: request.path,
          cookie: request.cookies === 'one' ? report.loadCookie : undefined,
          cycle,
          connections: settings.connections,
          durationSeconds: settings.seconds,
        });
        rps = result.rps;
      } finally {
        await server.stop();
      }
      const file = mainThreadProfile(dir);
      const summary = summarizeCpuProfile(file, 25);
      sections.push(renderProfileSummary(`${id} — ${scenario} (${Math.round(rps)} req/s under the profiler; ${file})`, summary));
    }
  } finally {
    await redis?.stop();
  }
  return sections.join('\n');
}

/** The main thread's profile among those Node wrote: `CPU.<date>.<time>.<pid>.<thread id 0>.<seq>.cpuprofile`. */
function mainThreadProfile(dir: string): string {
  const main = readdirSync(dir).find((file) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(file));
  if (main === undefined) throw new Error(`No main-thread CPU profile in ${dir}`);
  return join(dir, main);
}
