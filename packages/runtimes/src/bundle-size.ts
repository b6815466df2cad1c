import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { externalImports } from './bundle-entries.js';

/** Something the bundle-size check bundles: an entry module's source and what stays outside. */
export interface BundleTarget {
  /** Row name in the report: the package, then what part of it in parentheses. */
  readonly name: string;
  /** What the row measures (Markdown: it is a cell of the READMEs' tables). */
  readonly description: string;
  /** The entry module's source (ESM, resolved from `packages/runtimes`). */
  readonly source: string;
  /** Import paths left out of the bundle: the app's own framework. */
  readonly external: readonly string[];
  /**
   * The most the minified + gzipped bundle may weigh, in bytes: about 20% above its size when
   * the budget was set, so that growth past it is a decision (raising this), not an accident.
   */
  readonly gzipBudgetBytes: number;
}

/** One bundled target's sizes, in bytes. */
export interface BundleSize {
  readonly name: string;
  readonly description: string;
  /** The target's budget, {@link BundleTarget.gzipBudgetBytes}. */
  readonly gzipBudgetBytes: number;
  /** Bundled, not minified. */
  readonly rawBytes: number;
  /** Bundled and minified. */
  readonly minifiedBytes: number;
  /** The minified bundle gzipped (level 9), roughly what travels over the wire. */
  readonly gzippedBytes: number;
  /** Imports the bundle leaves to the runtime; only the framework's own, never a `node:` module. */
  readonly externalImports: readonly string[];
  /** The minified bundle itself. */
  readonly minifiedCode: string;
}

/**
 * What the bundle-size check measures. `export *` keeps every export, so the first two rows are
 * the whole packages (an upper bound); the third is the Hono adapter's own code; the last is what
 * a typical Hono app imports, after tree-shaking. Hono itself is external: an app ships it anyway.
 * The budgets were set at 9.8 kB, 9.8 kB, 0.6 kB and 9.2 kB (minified + gzip), raised to 12, 12, 0.7
 * and 11 kB, then on 2026-12-04 to 18, 18, 0.8 and 16.5 kB: compare-and-update with operation replay,
 * the owner index and revocations, and the idle/absolute timeouts are reachable from every manager
 * (a store or an option turns them on at run time, so a bundler cannot drop them); they added about
 * 5.7 kB gzip. Raised again the same day to 19, 19, 0.8 and 17.5 kB: the synchronous `node:crypto`
 * backend (issue 19) ships beside the Web Crypto one, and the newcomer fixes (tolerant base64 keys,
 * serde_json number spelling, `onMismatch`) added about 1.4 kB gzip.
 *
 * @example
 * ```ts
 * for (const target of BUNDLE_TARGETS) console.log(target.name, target.gzipBudgetBytes)
 * ```
 */
export const BUNDLE_TARGETS: readonly BundleTarget[] = [
  {
    name: '@sess/core',
    description: 'the whole package',
    source: "export * from '@sess/core';",
    external: [],
    gzipBudgetBytes: 19_000,
  },
  {
    name: '@sess/hono',
    description: 'the whole package, `@sess/core` included',
    source: "export * from '@sess/hono';",
    external: ['hono', 'hono/*'],
    gzipBudgetBytes: 19_000,
  },
  {
    name: '@sess/hono (adapter only)',
    description: '`@sess/core` external: what the adapter adds to the core',
    source: "export * from '@sess/hono';",
    external: ['hono', 'hono/*', '@sess/core'],
    gzipBudgetBytes: 800,
  },
  {
    name: '@sess/hono (typical app)',
    description: '`sessionMiddleware`, `CookieSessionStore` and `Key` only',
    source: "export { sessionMiddleware, CookieSessionStore, Key } from '@sess/hono';",
    external: ['hono', 'hono/*'],
    gzipBudgetBytes: 17_500,
  },
];

/**
 * Bundles a target with esbuild for the `neutral` platform (no Node built-ins; `@sess/*` from
 * their sources through the `source` condition), once as is and once minified, and measures
 * the raw, minified and minified + gzipped sizes.
 *
 * @param target what to bundle
 * @param packageDir the folder imports resolve from (`packages/runtimes`)
 * @returns the sizes, the imports left outside, and the minified code
 *
 * @example
 * ```ts
 * const [core] = await Promise.all(BUNDLE_TARGETS.map((target) => measureBundle(target, packageDir)))
 * console.log(core.gzippedBytes)
 * ```
 */
export async function measureBundle(target: BundleTarget, packageDir: string): Promise<BundleSize> {
  const bundle = async (minify: boolean) => {
    const result = await build({
      absWorkingDir: packageDir,
      stdin: { contents: target.source, resolveDir: packageDir, sourcefile: 'entry.ts', loader: 'ts' },
      bundle: true,
      write: false,
      outfile: 'bundle.mjs',
      format: 'esm',
      platform: 'neutral',
      // `neutral` reads no main fields by default; `cookie` (a core dependency) only has `main`.
      mainFields: ['module', 'main'],
      conditions: ['@sess/source'],
      target: 'es2022',
      external: [...target.external],
      minify,
      metafile: true,
      logLevel: 'silent',
    });
    const [output] = result.outputFiles;
    if (!output) throw new Error(`${target.name}: esbuild wrote nothing`);
    return { code: output.text, bytes: output.contents.byteLength, externalImports: externalImports(result.metafile) };
  };
  const [raw, minified] = await Promise.all([bundle(false), bundle(true)]);
  return {
    name: target.name,
    description: target.description,
    gzipBudgetBytes: target.gzipBudgetBytes,
    rawBytes: raw.bytes,
    minifiedBytes: minified.bytes,
    gzippedBytes: gzipSync(minified.code, { level: 9 }).byteLength,
    externalImports: minified.externalImports,
    minifiedCode: minified.code,
  };
}

/** A column of {@link formatSizeTable}'s table, after the bundle's name. */
export type SizeColumn = 'what' | 'raw' | 'minified' | 'gzip' | 'budget';

const COLUMNS: Readonly<Record<SizeColumn, { readonly heading: string; readonly align: string; readonly cell: (size: BundleSize) => string }>> = {
  what: { heading: 'what', align: '---', cell: (size) => size.description },
  raw: { heading: 'raw', align: '---:', cell: (size) => kilobytes(size.rawBytes) },
  minified: { heading: 'minified', align: '---:', cell: (size) => kilobytes(size.minifiedBytes) },
  gzip: { heading: 'minified + gzip', align: '---:', cell: (size) => kilobytes(size.gzippedBytes) },
  budget: { heading: 'budget (gzip)', align: '---:', cell: (size) => kilobytes(size.gzipBudgetBytes) },
};

/**
 * A Markdown table of sizes in kB (1 kB = 1000 bytes, one decimal), as the READMEs show it: the
 * bundle's name, then the columns asked for (all of them by default).
 *
 * @param sizes the measured bundles, one row each, in this order
 * @param columns which columns follow the bundle's name
 *
 * @example
 * ```ts
 * const sizes = await Promise.all(BUNDLE_TARGETS.map((t) => measureBundle(t, dir)))
 * console.log(formatSizeTable(sizes, ['minified', 'gzip']))
 * ```
 */
export function formatSizeTable(
  sizes: readonly BundleSize[],
  columns: readonly SizeColumn[] = ['what', 'raw', 'minified', 'gzip', 'budget'],
): string {
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    row(['bundle (esbuild, ES2022, `hono` external)', ...columns.map((column) => COLUMNS[column].heading)]),
    row(['---', ...columns.map((column) => COLUMNS[column].align)]),
    ...sizes.map((size) => row([bundleName(size.name), ...columns.map((column) => COLUMNS[column].cell(size))])),
  ].join('\n');
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

// `@sess/hono (typical app)` → `` `@sess/hono` (typical app) ``: code font for the package only.
function bundleName(name: string): string {
  return name.replace(/^(\S+)/, '`$1`');
}
