import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { FRAMEWORKS, type Framework } from '../contenders.js';

/**
 * Where the compiled servers go: under `bench/node_modules/.cache` (ignored by git), so that
 * Node resolves their npm imports from `bench/node_modules`.
 *
 * @example
 * ```ts
 * serverBuildDir('/repo/bench') // '/repo/bench/node_modules/.cache/sess-bench'
 * ```
 */
export function serverBuildDir(benchDir: string): string {
  return join(benchDir, 'node_modules', '.cache', 'sess-bench');
}

/**
 * The compiled server script of a framework.
 *
 * @example
 * ```ts
 * fork(serverScript(benchDir, 'hono'), ['iron-session'])
 * ```
 */
export function serverScript(benchDir: string, framework: Framework): string {
  return join(serverBuildDir(benchDir), `${framework}-server.mjs`);
}

/**
 * Compiles the three server scripts, with `@sess/*` taken from their TypeScript sources (the
 * `source` condition), into plain ES2022 JavaScript, as tsup compiles the published packages
 * (esbuild, target es2022). Every npm package the benchmark itself depends on (the frameworks,
 * the peers, node-redis) stays an import, resolved from `bench/node_modules` at run time, so it
 * runs exactly as installed. Takes about a second.
 *
 * Why not run the sources under tsx: tsx compiles with esbuild's `keepNames`, which wraps every
 * function and closure in a `__name(fn, "name")` call (an `Object.defineProperty` per closure
 * created): that taxes per-request closures of TypeScript code only, i.e. @sess and not the peers.
 *
 * @returns the folder holding `<framework>-server.mjs` and their source maps
 *
 * @example
 * ```ts
 * await buildServers(benchDir)
 * fork(serverScript(benchDir, 'koa'), ['sess-redis'])
 * ```
 */
export async function buildServers(benchDir: string): Promise<string> {
  const outdir = serverBuildDir(benchDir);
  await build({
    absWorkingDir: benchDir,
    entryPoints: FRAMEWORKS.map((framework) => join(benchDir, 'src', 'servers', `${framework}-server.ts`)),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'es2022',
    conditions: ['@sess/source'],
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [keepBenchDependenciesExternal(benchDir)],
  });
  return outdir;
}

/**
 * Leaves as imports the packages `bench/` itself can resolve (they load from `bench/node_modules`
 * at run time); bundles the rest, i.e. the `@sess/*` sources and their own dependencies.
 */
function keepBenchDependenciesExternal(benchDir: string): Plugin {
  return {
    name: 'keep-bench-dependencies-external',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.path.startsWith('@sess/') || args.pluginData === 'probe') return undefined;
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const fromBench = await builder.resolve(args.path, { resolveDir: benchDir, kind: args.kind, pluginData: 'probe' });
        return fromBench.errors.length === 0 ? { path: args.path, external: true } : undefined;
      });
    },
  };
}
