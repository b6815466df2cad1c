/**
 * `pnpm bench`: @sess against the bare frameworks and the peer session libraries.
 *
 *   pnpm bench                     full run (12 rounds × 1.5 s), then the codec micro-benchmark
 *   pnpm bench --quick             1 round × 1 s, short warm-up: checks the harness in ~2 minutes
 *   pnpm bench --codec             the codec micro-benchmark alone
 *   pnpm bench --only koa,hono/sess-redis   some contenders (each framework's bare server is kept)
 *   pnpm bench --profile koa/sess-redis --scenarios write --duration 15   CPU profile of one contender
 *
 * Prints markdown to stdout (progress goes to stderr) and writes results/<name>.md and .json; a
 * full run (results/latest.*) also rewrites the benchmark summary in the root README.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stopAllRedisServers } from '@sess/test-harness';
import { runCodecBenchmark } from './codec/codec-bench.js';
import { contenderId, CONTENDERS, selectContenders } from './contenders.js';
import { buildServers } from './harness/build-servers.js';
import { killTrackedChildren } from './harness/child-registry.js';
import { runLoadBenchmarks } from './harness/load-runner.js';
import { profileContender } from './profile/profile-run.js';
import { aggregate, type SampleSet } from './report/aggregate.js';
import { describeMachine } from './report/machine.js';
import { renderMarkdown } from './report/markdown.js';
import { renderReadmeSummary, writeReadmeSection } from './report/readme-summary.js';
import type { BenchReport, CodecResult, RunSettingsInfo } from './report/results.js';
import { checkTargets } from './report/targets.js';
import { DEFAULT_LOST_UPDATE_SETTINGS } from './harness/lost-updates.js';
import { DEFAULT_SESSIONS, SCENARIOS, type Scenario } from './scenarios.js';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    codec: { type: 'boolean', default: false },
    'no-codec': { type: 'boolean', default: false },
    only: { type: 'string' },
    scenarios: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '32' },
    sessions: { type: 'string' },
    'no-lost-updates': { type: 'boolean', default: false },
    profile: { type: 'string' },
    tsx: { type: 'boolean', default: false },
    out: { type: 'string' },
    from: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  // pnpm passes a literal `--` through when called as `pnpm bench -- --quick`.
  allowPositionals: true,
});

if (values.help) {
  log(`Usage: pnpm bench [--quick] [--codec | --no-codec] [--only <filters>] [--scenarios ${SCENARIOS.join(',')}]
                  [--rounds N] [--duration S] [--warmup S] [--connections N] [--sessions N] [--no-lost-updates]
                  [--out <name>] [--tsx]
       pnpm bench --profile <framework/contender> [--scenarios …] [--duration S]
       pnpm bench --from results/latest.json   (recomputes ratios and targets from a run's samples, rewrites its .md)
Contenders: ${CONTENDERS.map(contenderId).join(', ')}`);
  process.exit(0);
}

// An interrupted run must not leave servers or redis-server behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the servers`);
    killTrackedChildren();
    // Signals its redis-server synchronously; its watchdog would otherwise do it within a second.
    void stopAllRedisServers();
    process.exit(130);
  });
}

function number(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} expects a non-negative number, got ${value}`);
  return parsed;
}

function scenarioList(value: string | undefined): Scenario[] {
  if (value === undefined) return [...SCENARIOS];
  const list = value.split(',').map((s) => s.trim());
  for (const s of list) {
    if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`Unknown scenario ${s}; expected ${SCENARIOS.join(', ')}`);
  }
  return list as Scenario[];
}

function writeResults(name: string, report: BenchReport, markdown: string): void {
  const dir = join(benchDir, 'results');
  mkdirSync(dir, { recursive: true });
  // Written aside then renamed, so an interrupted run never leaves half a file.
  for (const [ext, text] of [
    ['json', `${JSON.stringify(report, null, 2)}\n`],
    ['md', `${markdown}\n`],
  ] as const) {
    const file = join(dir, `${name}.${ext}`);
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  }
  log(`wrote results/${name}.md and results/${name}.json`);
  if (name === 'latest') {
    // The root README shows the latest full run; a test holds it to results/latest.json.
    writeReadmeSection(join(benchDir, '..', 'README.md'), renderReadmeSummary(report));
    log('rewrote the benchmark summary in README.md');
  }
}

/**
 * Re-aggregates a saved run from its raw samples (after a change to how ratios or targets are
 * computed, or to the markdown), and rewrites its .json and .md: no server is started.
 */
function rerender(file: string): void {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
  const sets: SampleSet[] = saved.results.map((r) => ({
    contender: { framework: r.framework, name: r.contender, label: r.label, kind: r.kind, store: r.store },
    scenario: r.scenario,
    samples: r.samples,
    ...(r.redisClientPerRequest === undefined ? {} : { redisClientPerRequest: r.redisClientPerRequest }),
  }));
  const results = aggregate(sets);
  const report: BenchReport = { ...saved, results, targets: checkTargets(results) };
  const markdown = renderMarkdown(report);
  process.stdout.write(`${markdown}\n`);
  writeResults(basename(file, '.json'), report, markdown);
}

async function main(): Promise<void> {
  if (values.from !== undefined) {
    rerender(values.from);
    return;
  }
  const connections = number(values.connections, 32, 'connections');
  const scenarios = scenarioList(values.scenarios);
  // The servers run compiled (as tsup ships @sess); --tsx runs their sources under tsx instead.
  const runtime = values.tsx ? 'tsx' : 'compiled';
  if (runtime === 'compiled' && !values.codec) {
    await buildServers(benchDir);
    log('compiled the servers (esbuild, @sess from source)');
  }

  if (values.profile !== undefined) {
    const contender = CONTENDERS.find((c) => contenderId(c) === values.profile);
    if (contender === undefined) throw new Error(`--profile: no contender ${values.profile}; see --help`);
    const markdown = await profileContender({
      benchDir,
      runtime,
      contender,
      scenarios,
      seconds: number(values.duration, 10, 'duration'),
      connections,
      outDir: join(benchDir, 'results', 'profiles'),
      log,
    });
    const file = join(benchDir, 'results', 'profiles', `${contenderId(contender).replace('/', '-')}.md`);
    writeFileSync(file, `${markdown}\n`);
    process.stdout.write(`${markdown}\n`);
    log(`wrote ${file}`);
    return;
  }

  const started = Date.now();
  const quick = values.quick;
  const partial = values.only !== undefined || values.scenarios !== undefined;
  const settings: RunSettingsInfo = {
    mode: quick ? 'quick' : partial ? 'partial' : 'full',
    // Many short rounds rather than a few long ones: the contenders of a round then run within
    // seconds of each other, so the host's drift (which moves CPU cost per request by tens of
    // percent over a minute on a shared VM) weighs on both sides of each ratio.
    rounds: number(values.rounds, quick ? 1 : 12, 'rounds'),
    durationSeconds: number(values.duration, quick ? 1 : 1.5, 'duration'),
    warmupSeconds: number(values.warmup, quick ? 0.5 : 1, 'warmup'),
    connections,
    runtime,
    codecSeconds: quick ? 0.5 : 2,
    // More distinct sessions than any cache of opened values holds (the core's keeps 1,000).
    sessions: number(values.sessions, quick ? 1500 : DEFAULT_SESSIONS, 'sessions'),
  };

  let report: BenchReport = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    settings,
    sanity: [],
    results: [],
    targets: [],
    codec: [],
    durationMinutes: 0,
  };

  if (!values.codec) {
    const contenders = selectContenders(values.only);
    log(
      `${settings.mode} run: ${contenders.length} contenders × ${scenarios.length} scenarios, ` +
        `${settings.rounds} round(s) × ${settings.durationSeconds} s, ${connections} connections`,
    );
    const { sanity, sets, lostUpdates } = await runLoadBenchmarks({
      benchDir,
      runtime,
      contenders,
      scenarios,
      rounds: settings.rounds,
      durationSeconds: settings.durationSeconds,
      warmupSeconds: settings.warmupSeconds,
      connections,
      sessions: settings.sessions ?? DEFAULT_SESSIONS,
      lostUpdates: values['no-lost-updates'] ? undefined : DEFAULT_LOST_UPDATE_SETTINGS,
      log,
    });
    const results = aggregate(sets);
    report = { ...report, sanity, results, lostUpdates, targets: checkTargets(results) };
  }

  const name = values.out ?? (values.codec ? 'codec' : settings.mode === 'full' ? 'latest' : `latest-${settings.mode}`);
  if (!values.codec) {
    // Saved before the codec micro-benchmark, so a problem there cannot lose the load results.
    writeResults(name, { ...report, durationMinutes: (Date.now() - started) / 60_000 }, renderMarkdown(report));
  }
  let codec: CodecResult[] = [];
  if (values.codec || !values['no-codec']) codec = await runCodecBenchmark({ seconds: settings.codecSeconds, log });
  report = { ...report, codec, durationMinutes: (Date.now() - started) / 60_000 };

  const markdown = renderMarkdown(report);
  process.stdout.write(`${markdown}\n`);
  writeResults(name, report, markdown);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  killTrackedChildren();
  process.exitCode = 1;
});
