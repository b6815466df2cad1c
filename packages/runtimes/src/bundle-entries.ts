import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import type { RuntimeName } from './runtime-binaries.js';

/** One runtime entry bundled by {@link bundleEntries}. */
export interface EntryBundle {
  /** Absolute path of the bundled ES module. */
  readonly file: string;
  /** Imports left outside the bundle. Empty for the Web runtimes: everything is inside. */
  readonly externalImports: readonly string[];
}

/**
 * Bundles the portable app's four entries (`src/entries/<runtime>.ts`) with esbuild into
 * `outDir/<runtime>.mjs`, resolving `@sess/*` to their TypeScript sources through the `source`
 * export condition, so no build of the packages is needed.
 *
 * Bun, Deno and workerd get a `neutral` bundle: esbuild then knows no Node built-ins, so a
 * `node:` import anywhere in the graph fails the build or shows up in `externalImports`. Only
 * the Node entry (which uses `@hono/node-server`) is bundled for the `node` platform.
 *
 * @param packageDir the `packages/runtimes` folder
 * @param outDir where to write the bundles (created if needed)
 * @returns the bundles by runtime
 *
 * @example
 * ```ts
 * const bundles = await bundleEntries(packageDir, await mkdtemp(join(tmpdir(), 'sess-')))
 * spawn(denoBinary, ['run', '--allow-net', '--allow-env', bundles.deno.file])
 * ```
 */
export async function bundleEntries(packageDir: string, outDir: string): Promise<Record<RuntimeName, EntryBundle>> {
  const runtimes: readonly RuntimeName[] = ['node', 'bun', 'deno', 'workerd'];
  const bundles = await Promise.all(
    runtimes.map(async (runtime) => {
      const file = path.join(outDir, `${runtime}.mjs`);
      const result = await build({
        absWorkingDir: packageDir,
        entryPoints: [path.join(packageDir, 'src/entries', `${runtime}.ts`)],
        outfile: file,
        bundle: true,
        format: 'esm',
        platform: runtime === 'node' ? 'node' : 'neutral',
        // `neutral` reads no main fields by default; `cookie` (a core dependency) only has `main`.
        mainFields: ['module', 'main'],
        conditions: ['@sess/source'],
        target: 'es2022',
        metafile: true,
        logLevel: 'silent',
      });
      return { runtime, file, externalImports: externalImports(result.metafile) };
    }),
  );
  const byRuntime: Partial<Record<RuntimeName, EntryBundle>> = {};
  for (const { runtime, ...bundle } of bundles) byRuntime[runtime] = bundle;
  return byRuntime as Record<RuntimeName, EntryBundle>;
}

/**
 * The import paths esbuild left outside the output files (the imports a runtime must provide).
 *
 * @example
 * ```ts
 * externalImports(result.metafile) // ['hono', 'hono/http-exception']
 * ```
 */
export function externalImports(metafile: Metafile): string[] {
  const paths = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) if (imported.external) paths.add(imported.path);
  }
  return [...paths].sort();
}
