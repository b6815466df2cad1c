import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { externalImports } from './bundle-entries.js';

/** Something the bundle-size check bundles: an entry module's source and what stays outside. */
export interface BundleTarget {
  /** Row name in the report. */
  readonly name: string;
  /** What the row measures. */
  readonly description: string;
  /** The entry module's source (ESM, resolved from `packages/runtimes`). */
  readonly source: string;
  /** Import paths left out of the bundle: the app's own framework. */
  readonly external: readonly string[];
}

/** One bundled target's sizes, in bytes. */
export interface BundleSize {
  readonly name: string;
  readonly description: string;
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
 */
export const BUNDLE_TARGETS: readonly BundleTarget[] = [
  {
    name: '@sess/core',
    description: 'the whole package',
    source: "export * from '@sess/core';",
    external: [],
  },
  {
    name: '@sess/hono',
    description: 'the whole package, @sess/core included, hono external',
    source: "export * from '@sess/hono';",
    external: ['hono', 'hono/*'],
  },
  {
    name: '@sess/hono (adapter only)',
    description: 'the whole package, @sess/core and hono external: what the adapter adds to the core',
    source: "export * from '@sess/hono';",
    external: ['hono', 'hono/*', '@sess/core'],
  },
  {
    name: '@sess/hono (typical app)',
    description: 'sessionMiddleware, CookieSessionStore and Key only, hono external',
    source: "export { sessionMiddleware, CookieSessionStore, Key } from '@sess/hono';",
    external: ['hono', 'hono/*'],
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
      conditions: ['source'],
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
    rawBytes: raw.bytes,
    minifiedBytes: minified.bytes,
    gzippedBytes: gzipSync(minified.code, { level: 9 }).byteLength,
    externalImports: minified.externalImports,
    minifiedCode: minified.code,
  };
}

/**
 * A Markdown table of sizes in kB (1 kB = 1000 bytes), as the READMEs show it.
 *
 * @example
 * ```ts
 * console.log(formatSizeTable(await Promise.all(BUNDLE_TARGETS.map((t) => measureBundle(t, dir)))))
 * ```
 */
export function formatSizeTable(sizes: readonly BundleSize[]): string {
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
  return [
    '| bundle | what | raw | minified | minified + gzip |',
    '| --- | --- | ---: | ---: | ---: |',
    ...sizes.map(
      (size) =>
        `| \`${size.name}\` | ${size.description} | ${kb(size.rawBytes)} | ${kb(size.minifiedBytes)} | ${kb(size.gzippedBytes)} |`,
    ),
  ].join('\n');
}
