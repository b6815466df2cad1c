import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The four runtimes the runtime test serves the portable app on. */
export type RuntimeName = 'node' | 'bun' | 'deno' | 'workerd';

/**
 * The executable of each runtime, from the npm packages `bun`, `deno` and `workerd` (Node is
 * the one running this code).
 *
 * The binaries themselves, not `node_modules/.bin`'s entries, which are pnpm's shell shims
 * around a Node launcher (deno, workerd) or around the binary (bun): starting the binary
 * directly means signals reach the runtime, not a wrapper. Deno's is in its platform package
 * (an optional dependency of `deno`). Bun's is wherever the `bun` package's postinstall left
 * it: that script, which pnpm-workspace.yaml allows to run, moves the platform package's
 * binary over the `bun` package's own `bin/bun.exe`; without it (`--ignore-scripts`), the
 * binary is still in the platform package.
 *
 * @param runtime which runtime
 * @param packageDir a directory whose package.json depends on `bun`, `deno` and `workerd`
 * @returns the absolute path of the executable
 *
 * @example
 * ```ts
 * spawn(runtimeBinary('deno', packageDir), ['run', '--allow-net', 'server.mjs'])
 * ```
 */
export function runtimeBinary(runtime: RuntimeName, packageDir: string): string {
  if (runtime === 'node') return process.execPath;
  const fromPackage = createRequire(path.join(packageDir, 'package.json'));
  if (runtime === 'workerd') {
    // workerd's main module exports the binary's path (it resolves its platform package).
    return (fromPackage('workerd') as { default: string }).default;
  }
  const platformPackage = runtime === 'bun' ? bunPlatformPackage() : denoPlatformPackage();
  const fromRuntime = createRequire(fromPackage.resolve(`${runtime}/package.json`));
  let dir: string;
  try {
    dir = path.dirname(fromRuntime.resolve(`${platformPackage}/package.json`));
  } catch (error) {
    throw new Error(
      `${runtime}: its binary package ${platformPackage} is not installed; run \`pnpm install\` (with optional dependencies)`,
      { cause: error },
    );
  }
  const binary = path.join(dir, runtime === 'bun' ? 'bin/bun' : 'deno');
  if (existsSync(binary)) return binary;
  if (runtime === 'bun') {
    // After Bun's postinstall: the platform binary was moved over the package's bin/bun.exe,
    // which before that is a small placeholder script.
    const moved = path.join(path.dirname(fromPackage.resolve('bun/package.json')), 'bin/bun.exe');
    if (existsSync(moved) && statSync(moved).size > STUB_MAX_BYTES) return moved;
  }
  throw new Error(`${runtime}: ${binary} is missing from ${platformPackage}; reinstall it with \`pnpm install --force\``);
}

// bun's bin/bun.exe placeholder is a script of a few hundred bytes; the real binary is ~100 MB.
const STUB_MAX_BYTES = 64 * 1024;

/**
 * The versions of the runtimes' npm packages, as installed.
 *
 * @example
 * ```ts
 * runtimePackageVersion('deno', packageDir) // '2.9.6'
 * ```
 */
export function runtimePackageVersion(runtime: RuntimeName, packageDir: string): string {
  if (runtime === 'node') return process.versions.node;
  const fromPackage = createRequire(path.join(packageDir, 'package.json'));
  return (fromPackage(`${runtime}/package.json`) as { version: string }).version;
}

/**
 * The newest compatibility date the installed workerd supports, as its package exports it.
 *
 * @example
 * ```ts
 * workerdCompatibilityDate(packageDir) // '2026-11-17'
 * ```
 */
export function workerdCompatibilityDate(packageDir: string): string {
  const fromPackage = createRequire(path.join(packageDir, 'package.json'));
  return (fromPackage('workerd') as { compatibilityDate: string }).compatibilityDate;
}

// The names of the `bun` package's optional dependencies (@oven/bun-<os>-<cpu>[-musl]).
function bunPlatformPackage(): string {
  const cpu = { x64: 'x64', arm64: 'aarch64' }[process.arch as string];
  if (!cpu || !['linux', 'darwin', 'freebsd'].includes(process.platform)) {
    throw new Error(`bun: no binary package for ${process.platform}/${process.arch} in this test`);
  }
  return `@oven/bun-${process.platform}-${cpu}${process.platform === 'linux' && isMusl() ? '-musl' : ''}`;
}

// The names of the `deno` package's optional dependencies (@deno/<os>-<cpu>[-glibc]).
function denoPlatformPackage(): string {
  const cpu = { x64: 'x64', arm64: 'arm64' }[process.arch as string];
  if (!cpu || !['linux', 'darwin'].includes(process.platform) || (process.platform === 'linux' && isMusl())) {
    throw new Error(`deno: no binary package for ${process.platform}/${process.arch} in this test`);
  }
  return `@deno/${process.platform}-${cpu}${process.platform === 'linux' ? '-glibc' : ''}`;
}

function isMusl(): boolean {
  // Node's diagnostic report names the glibc it runs on; on musl that field is absent.
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime === undefined;
}
