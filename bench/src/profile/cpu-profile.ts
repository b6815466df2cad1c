import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { filePathOf, loadSourceMap, type SourceMapLookup } from './source-map.js';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) this summary reads. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
    readonly hitCount?: number;
  }[];
}

/** A function's share of the samples in which it was on top of the stack. */
export interface HotSpot {
  readonly functionName: string;
  /** Where it lives: a workspace path, `package-name/path`, or a `node:` internal. */
  readonly location: string;
  /** 1-based line of the function, in its source file when a source map says where that is. */
  readonly line: number;
  /** Self time as a percentage of all non-idle samples. */
  readonly selfPercent: number;
}

/** A profile summarised: the hottest functions, and self time per module. */
export interface ProfileSummary {
  readonly samples: number;
  /** Share of samples the process was idle (waiting for I/O), in percent of all samples. */
  readonly idlePercent: number;
  readonly functions: readonly HotSpot[];
  readonly modules: readonly { readonly module: string; readonly selfPercent: number }[];
}

/**
 * Reads a `.cpuprofile` and ranks functions by self time (samples with the function on top of
 * the stack), as a share of the non-idle samples; also totals self time per module (a workspace
 * package, an npm package, Node internals, GC). Functions of a compiled file with a source map
 * (the compiled servers) are placed in their TypeScript source.
 *
 * @example
 * ```ts
 * const summary = summarizeCpuProfile('results/profiles/koa-sess-redis-write.cpuprofile', 25)
 * ```
 */
export function summarizeCpuProfile(file: string, top: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byFunction = new Map<string, { functionName: string; location: string; line: number; hits: number }>();
  const byModule = new Map<string, number>();
  const maps = new Map<string, SourceMapLookup | undefined>();
  let total = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    const { functionName, columnNumber } = node.callFrame;
    let { url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += hits;
      continue;
    }
    const path = filePathOf(url);
    if (path !== undefined) {
      if (!maps.has(path)) maps.set(path, loadSourceMap(path));
      const original = maps.get(path)?.(lineNumber, columnNumber);
      if (original !== undefined) {
        url = pathToFileURL(original.source).href;
        lineNumber = original.line - 1;
      }
    }
    const location = locationOf(url);
    const name = functionName === '' ? '(anonymous)' : functionName;
    const key = `${name} ${location}:${lineNumber}`;
    const entry = byFunction.get(key) ?? { functionName: name, location, line: lineNumber + 1, hits: 0 };
    entry.hits += hits;
    byFunction.set(key, entry);
    const module = moduleOf(url, functionName);
    byModule.set(module, (byModule.get(module) ?? 0) + hits);
  }
  const busy = Math.max(total - idle, 1);
  return {
    samples: total,
    idlePercent: total === 0 ? 0 : (100 * idle) / total,
    functions: [...byFunction.values()]
      .sort((a, b) => b.hits - a.hits)
      .slice(0, top)
      .map(({ functionName, location, line, hits }) => ({ functionName, location, line, selfPercent: (100 * hits) / busy })),
    modules: [...byModule.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([module, hits]) => ({ module, selfPercent: (100 * hits) / busy })),
  };
}

/**
 * Renders a summary as markdown tables.
 *
 * @example
 * ```ts
 * console.log(renderProfileSummary('koa/sess-redis write', summary))
 * ```
 */
export function renderProfileSummary(title: string, summary: ProfileSummary): string {
  const lines = [
    `### ${title}`,
    '',
    `${summary.samples} samples, ${summary.idlePercent.toFixed(1)} % idle; percentages are of the non-idle samples.`,
    '',
    '| self % | function | where |',
    '| ---: | --- | --- |',
    ...summary.functions.map((f) => `| ${f.selfPercent.toFixed(1)} | \`${f.functionName}\` | ${f.location}:${f.line} |`),
    '',
    '| self % | module |',
    '| ---: | --- |',
    ...summary.modules.slice(0, 15).map((m) => `| ${m.selfPercent.toFixed(1)} | ${m.module} |`),
    '',
  ];
  return lines.join('\n');
}

function locationOf(url: string): string {
  if (url === '') return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/(.+)$/.exec(path);
  if (pnpm !== null) return pnpm[1] as string;
  const workspace = /\/((?:packages|bench)\/.+)$/.exec(path);
  if (workspace !== null) return workspace[1] as string;
  return path;
}

function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pnpm !== null) return pnpm[1] as string;
  const workspace = /\/(packages\/[^/]+|bench)\//.exec(path);
  if (workspace !== null) return workspace[1] as string;
  return path;
}
