// The root README shows the latest full benchmark run: it must be exactly what the saved run
// (results/latest.json) renders to, so the table can never drift from the numbers behind it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readmeSection, renderReadmeSummary, writeReadmeSection } from '../src/report/readme-summary.js';
import type { BenchReport } from '../src/report/results.js';
import { SCENARIOS } from '../src/scenarios.js';

const benchDir = resolve(__dirname, '..');
const latest = JSON.parse(readFileSync(join(benchDir, 'results', 'latest.json'), 'utf8')) as BenchReport;

test('the root README shows the summary of results/latest.json (refresh: pnpm bench --from results/latest.json)', () => {
  expect(readmeSection(join(benchDir, '..', 'README.md'))).toBe(renderReadmeSummary(latest));
});

test('the summary gives every non-bare contender a ratio and its per-round range for each scenario, and the targets met', () => {
  const summary = renderReadmeSummary(latest);
  const ratioTable = summary.slice(0, summary.indexOf('Server CPU per request added'));
  const rows = ratioTable.split('\n').filter((line) => /^\| (Express|Koa|Hono) \|/.test(line));
  expect(rows).toHaveLength(new Set(latest.results.filter((r) => r.kind !== 'bare').map((r) => r.id)).size);
  const ratio = String.raw`\| \d+\.\d\d \(\d+\.\d\d–\d+\.\d\d\) `;
  for (const row of rows) expect(row).toMatch(new RegExp(`^(\\| [^|]+ ){2}(${ratio}){${SCENARIOS.length}}\\|$`));
  // The CPU each contender adds over bare, one row per non-bare contender, a cell per scenario.
  const cpuStart = summary.indexOf('Server CPU per request added');
  const cpuEnd = summary.indexOf('Concurrent writers', cpuStart);
  const cpuRows = summary
    .slice(cpuStart, cpuEnd === -1 ? undefined : cpuEnd)
    .split('\n')
    .filter((line) => /^\| (Express|Koa|Hono) \|/.test(line));
  expect(cpuRows).toHaveLength(rows.length);
  const met = latest.targets.filter((t) => t.pass).length;
  expect(summary).toContain(`met: ${met} of ${latest.targets.length}`);
  expect(summary).toContain(latest.date.slice(0, 10));
});

test('writeReadmeSection replaces only the text between the markers, and refuses a README without them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sess-bench-readme-'));
  try {
    const file = join(dir, 'README.md');
    writeFileSync(file, '# t\n\nbefore\n<!-- bench:summary:start -->\nold\n<!-- bench:summary:end -->\nafter\n');
    writeReadmeSection(file, 'new table');
    expect(readFileSync(file, 'utf8')).toBe('# t\n\nbefore\n<!-- bench:summary:start -->\nnew table\n<!-- bench:summary:end -->\nafter\n');
    writeFileSync(file, '# no markers\n');
    expect(() => writeReadmeSection(file, 'x')).toThrow(/no <!-- bench:summary:start -->/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
