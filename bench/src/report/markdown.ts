import { FRAMEWORKS, type Framework } from '../contenders.js';
import { median } from '../harness/stats.js';
import { SCENARIO_REQUESTS, SCENARIOS } from '../scenarios.js';
import type { BenchReport, CodecResult, LostUpdateResult, ScenarioResult } from './results.js';

const FRAMEWORK_TITLES: Readonly<Record<Framework, string>> = { express: 'Express', koa: 'Koa', hono: 'Hono', fastify: 'Fastify' };

/**
 * Renders a run as markdown: a summary (req/s and ratio to bare per contender and scenario), one
 * detailed table per framework × scenario, the target check, which libraries give every visitor
 * a cookie, and the codec micro-benchmark.
 *
 * @example
 * ```ts
 * writeFileSync('results/latest.md', renderMarkdown(report))
 * ```
 */
export function renderMarkdown(report: BenchReport): string {
  const { machine, settings } = report;
  const out: string[] = [];
  out.push('# @sess benchmarks');
  out.push('');
  out.push(
    `${report.date.slice(0, 10)} · ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB · ` +
      `${machine.platform} ${machine.kernel} · Node ${machine.node}`,
  );
  out.push('');
  if (report.results.length > 0) {
    out.push(
      `Mode **${settings.mode}**: ${settings.rounds} round(s) × ${settings.durationSeconds} s per contender and scenario ` +
        `(after a ${settings.warmupSeconds} s warm-up), ${settings.connections} connections, loopback, one server under load ` +
        `at a time, contenders interleaved; medians across rounds, ratios are medians of the per-round ratios (the "× bare, rounds" column gives their lowest and highest: the noise). Servers ${settings.runtime === 'compiled' ? 'compiled as published (esbuild, ES2022)' : 'run from source under tsx'}, ` +
        `\`NODE_ENV=production\`. Run took ${report.durationMinutes.toFixed(1)} min.`,
    );
    out.push('');
    const other = report.results.flatMap((r) => r.samples.map((s) => s.otherCpuPercent));
    out.push(
      `Other processes used a median ${median(other).toFixed(1)} % (max ${Math.max(...other).toFixed(1)} %) of the machine's CPU ` +
        'during the timed runs (0 on a quiet machine).',
    );
    out.push('');
  }

  if (report.results.length > 0) {
    out.push('## Summary: req/s (ratio to the bare framework)');
    out.push('');
    out.push(...summaryTable(report.results));
    out.push('');
    out.push('## Server CPU per request added over the bare framework (µs)');
    out.push('');
    out.push(
      'Median over rounds of (contender − bare) within each round, lowest–highest round in brackets: what the session ' +
        `handling costs, steadier than req/s on a busy machine. "many" rows cycle through ${report.settings.sessions ?? 'many'} ` +
        'distinct sessions per contender (no cookie repeats within 1,000 requests); "1 cookie" rows replay one.',
    );
    out.push('');
    out.push(...cpuAddedTable(report.results));
    out.push('');
    if ((report.lostUpdates ?? []).length > 0) {
      out.push('## Concurrent writers: lost updates');
      out.push('');
      out.push(...lostUpdatesSection(report.lostUpdates ?? []));
      out.push('');
    }
    for (const framework of FRAMEWORKS) {
      const ofFramework = report.results.filter((r) => r.framework === framework);
      if (ofFramework.length === 0) continue;
      out.push(`## ${FRAMEWORK_TITLES[framework]}`);
      out.push('');
      for (const scenario of SCENARIOS) {
        const rows = ofFramework.filter((r) => r.scenario === scenario);
        if (rows.length === 0) continue;
        out.push(`### ${FRAMEWORK_TITLES[framework]} — ${SCENARIO_REQUESTS[scenario].title}`);
        out.push('');
        out.push(...detailTable(rows));
        out.push('');
      }
    }

    out.push('## Targets');
    out.push('');
    if (report.targets.length === 0) out.push('No @sess contender was measured.');
    else {
      out.push('| framework | row | contender | measured | required | |');
      out.push('| --- | --- | --- | --- | --- | --- |');
      for (const t of report.targets) {
        out.push(`| ${FRAMEWORK_TITLES[t.framework]} | ${t.row} | ${t.label} | ${t.measured} | ${t.required} | ${t.pass ? '✅' : '❌'} |`);
      }
    }
    out.push('');

    const problems = report.results.filter((r) => r.problems.length > 0);
    if (problems.length > 0) {
      out.push('## Runs with errors');
      out.push('');
      for (const r of problems) out.push(`- ${r.id} ${r.scenario}: ${r.problems.join('; ')}`);
      out.push('');
    }

    out.push('## Cookies for new visitors (sanity pass)');
    out.push('');
    out.push('| contender | cookie for a visitor who wrote nothing | cookies issued |');
    out.push('| --- | --- | --- |');
    for (const s of report.sanity) {
      if (s.cookieNames.length === 0) continue;
      out.push(`| ${s.id} (${s.label}) | ${s.newVisitorGetsCookie ? 'yes' : 'no'} | ${s.cookieNames.map((n) => `\`${n}\``).join(', ')} |`);
    }
    out.push('');
  }

  if (report.codec.length > 0) {
    out.push('## Cookie codec micro-benchmark');
    out.push('');
    out.push(
      `One operation at a time, ${settings.codecSeconds} s each. @sess through \`createSessionManager\`: seal = \`commit\` of a new ` +
        'session (state serialisation and `Set-Cookie` text included), open = `load` of the cookie (state parsing included); ' +
        'iron-session `sealData`/`unsealData` (JSON included). Cold = a value never opened before; warm = the same value ' +
        'again (@sess answers it from its cache of opened values; iron-session has no cache).',
    );
    out.push('');
    out.push(...codecTable(report.codec));
    out.push('');
  }
  return out.join('\n');
}

function summaryTable(results: readonly ScenarioResult[]): string[] {
  const lines = [
    `| framework | contender | ${SCENARIOS.map((s) => SCENARIO_REQUESTS[s].column).join(' | ')} |`,
    `| --- | --- | ${SCENARIOS.map(() => '---:').join(' | ')} |`,
  ];
  const ids = [...new Set(results.map((r) => r.id))];
  for (const id of ids) {
    const rows = results.filter((r) => r.id === id);
    const first = rows[0] as ScenarioResult;
    const cells = SCENARIOS.map((scenario) => {
      const r = rows.find((row) => row.scenario === scenario);
      return r === undefined ? '—' : `${formatInt(r.rps)} (${r.ratioToBare.toFixed(2)})`;
    });
    const label = first.kind === 'sess' ? `**${first.label}**` : first.label;
    lines.push(`| ${FRAMEWORK_TITLES[first.framework]} | ${label} | ${cells.join(' | ')} |`);
  }
  return lines;
}

/**
 * Per contender and scenario, the CPU µs per request added over bare (median, and the range of
 * the rounds).
 *
 * @example
 * ```ts
 * cpuAddedTable(report.results) // ['| framework | contender | /plain | …', …]
 * ```
 */
export function cpuAddedTable(results: readonly ScenarioResult[]): string[] {
  const lines = [
    `| framework | contender | ${SCENARIOS.map((s) => SCENARIO_REQUESTS[s].column).join(' | ')} |`,
    `| --- | --- | ${SCENARIOS.map(() => '---:').join(' | ')} |`,
  ];
  for (const id of [...new Set(results.filter((r) => r.kind !== 'bare').map((r) => r.id))]) {
    const rows = results.filter((r) => r.id === id);
    const first = rows[0] as ScenarioResult;
    const cells = SCENARIOS.map((scenario) => {
      const r = rows.find((row) => row.scenario === scenario);
      return r === undefined ? '—' : `${formatMicros(r.cpuAddedMicros)} (${formatMicros(r.cpuAddedRange[0])}…${formatMicros(r.cpuAddedRange[1])})`;
    });
    const label = first.kind === 'sess' ? `**${first.label}**` : first.label;
    lines.push(`| ${FRAMEWORK_TITLES[first.framework]} | ${label} | ${cells.join(' | ')} |`);
  }
  return lines;
}

/**
 * The concurrent-writers check as a table: per contender, increments lost of those sent.
 *
 * @example
 * ```ts
 * lostUpdatesSection(report.lostUpdates ?? [])
 * ```
 */
export function lostUpdatesSection(results: readonly LostUpdateResult[]): string[] {
  const first = results[0] as LostUpdateResult;
  const lines = [
    `${first.sessions} sessions per contender; each gets a login, then ${first.waves} waves of ${first.writers} concurrent ` +
      '`POST /count` (one increment each: @sess `updateOr`, the peers `n = n + 1`), the `Set-Cookie` answers kept as a ' +
      'browser keeps them (the last to arrive wins), then a read. Lost = increments sent − the counter read. A cookie ' +
      'store keeps the state in the cookie, so concurrent writers of one always lose all but one (documented).',
    '',
    '| framework | contender | store | lost | of | failed writes |',
    '| --- | --- | --- | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const label = r.kind === 'sess' ? `**${r.label}**` : r.label;
    lines.push(`| ${FRAMEWORK_TITLES[r.framework]} | ${label} | ${r.store} | ${r.lost} | ${r.expected} | ${r.failures} |`);
  }
  return lines;
}

function detailTable(rows: readonly ScenarioResult[]): string[] {
  const lines = [
    '| contender | req/s | × bare | × bare, rounds | × best peer | p50 ms | p99 ms | CPU µs/req | CPU × bare | CPU +µs | Redis cmds/req |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const label = r.kind === 'sess' ? `**${r.label}**` : r.label;
    const vsPeer = r.ratioToBestPeer === null || r.kind === 'bare' ? '—' : r.ratioToBestPeer.toFixed(2);
    const warn = r.problems.length > 0 ? ' ⚠' : '';
    lines.push(
      `| ${label}${warn} | ${formatInt(r.rps)} | ${r.ratioToBare.toFixed(2)} | ${r.kind === 'bare' ? '—' : formatRange(r.ratioToBareRange)} | ${vsPeer} | ${formatMs(r.p50Ms)} | ${formatMs(r.p99Ms)} | ` +
        `${Math.round(r.cpuMicrosPerRequest)} | ${r.cpuRatioToBare.toFixed(2)} | ${r.kind === 'bare' ? '—' : formatMicros(r.cpuAddedMicros)} | ${redisCell(r)} |`,
    );
  }
  return lines;
}

function redisCell(r: ScenarioResult): string {
  if (r.redisPerRequest === undefined || r.redisTotalPerRequest === undefined) return '—';
  const executed = commandCounts(r.redisTotalPerRequest, r.redisPerRequest);
  if (r.redisClientPerRequest === undefined) return executed;
  const sent = Object.values(r.redisClientPerRequest).reduce((a, b) => a + b, 0);
  return `sent ${commandCounts(sent, r.redisClientPerRequest)}; executed ${executed}`;
}

function commandCounts(total: number, counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n >= 0.005)
    .map(([name, n]) => `${name.toUpperCase()} ${n.toFixed(2)}`);
  return parts.length === 0 ? total.toFixed(2) : `${total.toFixed(2)} (${parts.join(', ')})`;
}

function codecTable(codec: readonly CodecResult[]): string[] {
  const lines = [
    '| library | operation | state | state bytes | sealed chars | ops/s | µs/op |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const c of codec) {
    lines.push(
      `| ${c.library} | ${c.operation} | ${c.state} | ${c.stateBytes} | ${c.sealedChars} | ${formatInt(c.opsPerSecond)} | ${c.microsPerOp.toFixed(1)} |`,
    );
  }
  return lines;
}

/**
 * A per-round range, e.g. `0.81–0.93`.
 *
 * @example
 * ```ts
 * formatRange([0.812, 0.934]) // '0.81–0.93'
 * ```
 */
export function formatRange([low, high]: readonly [number, number]): string {
  return Number.isFinite(low) && Number.isFinite(high) ? `${low.toFixed(2)}–${high.toFixed(2)}` : '—';
}

function formatMicros(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;
}

function formatInt(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
}

function formatMs(value: number): string {
  return Number.isFinite(value) ? (Number.isInteger(value) ? String(value) : value.toFixed(2)) : '—';
}
