import { readFileSync, writeFileSync } from 'node:fs';
import type { Framework } from '../contenders.js';
import { SCENARIO_REQUESTS, SCENARIOS } from '../scenarios.js';
import { cpuAddedTable, formatRange, lostUpdatesSection } from './markdown.js';
import type { BenchReport } from './results.js';

/** The markers around the generated benchmark section of the root README. */
export const README_MARKERS = { start: '<!-- bench:summary:start -->', end: '<!-- bench:summary:end -->' } as const;

const FRAMEWORK_TITLES: Readonly<Record<Framework, string>> = { express: 'Express', koa: 'Koa', hono: 'Hono', fastify: 'Fastify' };

/**
 * The root README's benchmark section for a full run: when and where it ran, each contender's
 * ratio to its bare framework per scenario (median, and the per-round range that shows the
 * noise), and how many targets were met. The full tables stay in `bench/results/latest.md`.
 *
 * @example
 * ```ts
 * const text = renderReadmeSummary(JSON.parse(readFileSync('bench/results/latest.json', 'utf8')))
 * ```
 */
export function renderReadmeSummary(report: BenchReport): string {
  const { machine, settings } = report;
  const met = report.targets.filter((t) => t.pass).length;
  const lines = [
    `Latest full run: ${report.date.slice(0, 10)}, ${machine.cpuModel} (${machine.cores} cores, ${machine.memoryGiB} GiB), ` +
      `Node ${machine.node}; ${settings.rounds} rounds × ${settings.durationSeconds} s per contender and scenario, ` +
      `${settings.connections} connections over loopback. Each cell: req/s as a multiple of the bare framework's in the ` +
      'same round, median across rounds (lowest–highest round).',
    '',
    `| framework | contender | ${SCENARIOS.map((s) => SCENARIO_REQUESTS[s].column).join(' | ')} |`,
    `| --- | --- | ${SCENARIOS.map(() => '---:').join(' | ')} |`,
  ];
  const ids = [...new Set(report.results.filter((r) => r.kind !== 'bare').map((r) => r.id))];
  for (const id of ids) {
    const rows = report.results.filter((r) => r.id === id);
    const first = rows[0];
    if (first === undefined) continue;
    const cells = SCENARIOS.map((scenario) => {
      const r = rows.find((row) => row.scenario === scenario);
      return r === undefined ? '—' : `${r.ratioToBare.toFixed(2)} (${formatRange(r.ratioToBareRange)})`;
    });
    const label = first.kind === 'sess' ? `**${first.label}**` : first.label;
    lines.push(`| ${FRAMEWORK_TITLES[first.framework]} | ${label} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  lines.push(
    `Server CPU per request added over the bare framework, in µs (median, lowest…highest round); "many" cycles through ` +
      `${settings.sessions ?? 'many'} sessions per contender, "1 cookie" replays one:`,
  );
  lines.push('');
  lines.push(...cpuAddedTable(report.results));
  if ((report.lostUpdates ?? []).length > 0) {
    lines.push('');
    lines.push('Concurrent writers on one session (lost updates):');
    lines.push('');
    lines.push(...lostUpdatesSection(report.lostUpdates ?? []));
  }
  lines.push('');
  lines.push(
    `Targets met: ${met} of ${report.targets.length} (the target table, CPU per request, latency and Redis ` +
      'commands per request: [bench/results/latest.md](bench/results/latest.md); where the time goes and why some ' +
      'targets are missed: [bench/PERFORMANCE.md](bench/PERFORMANCE.md)).',
  );
  return lines.join('\n');
}

/**
 * Rewrites the text between {@link README_MARKERS} in `readmePath` with `section`; throws when
 * the markers are missing, so a README that lost them is noticed.
 *
 * @example
 * ```ts
 * writeReadmeSection('README.md', renderReadmeSummary(report))
 * ```
 */
export function writeReadmeSection(readmePath: string, section: string): void {
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf(README_MARKERS.start);
  const end = text.indexOf(README_MARKERS.end);
  if (start === -1 || end < start) {
    throw new Error(`${readmePath} has no ${README_MARKERS.start} … ${README_MARKERS.end} section for the benchmark summary`);
  }
  const before = text.slice(0, start + README_MARKERS.start.length);
  writeFileSync(readmePath, `${before}\n${section}\n${text.slice(end)}`);
}

/**
 * The section currently between the markers of `readmePath` (trimmed), for the test that holds
 * the README to the saved run.
 *
 * @example
 * ```ts
 * expect(readmeSection('README.md')).toBe(renderReadmeSummary(latest))
 * ```
 */
export function readmeSection(readmePath: string): string {
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf(README_MARKERS.start);
  const end = text.indexOf(README_MARKERS.end);
  if (start === -1 || end < start) return '';
  return text.slice(start + README_MARKERS.start.length, end).trim();
}
