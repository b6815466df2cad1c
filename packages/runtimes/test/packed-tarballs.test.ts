import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../src/free-port.js';
import { startServer } from '../src/server-process.js';

// What an npm consumer gets: the packages built and packed with `pnpm pack` (which turns
// `workspace:` ranges into versions), then installed with npm into new apps outside the
// workspace — CommonJS on Express, ESM TypeScript on Express (compiled with tsc, with the
// "source" condition a consumer's own monorepo may use), Koa and Hono — each run and asked over
// HTTP to count in its session. npm fetches the frameworks from the registry.

const run = promisify(execFile);
const REPO_DIR = path.join(__dirname, '../../..');
const PUBLISHED = ['core', 'express', 'koa', 'hono', 'redis', 'store-tests'] as const;
const SESSION_KEY = randomBytes(64).toString('base64');

jest.setTimeout(300_000);

let work: string;
const tarballs = new Map<string, string>();

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'sess-packed-'));
  // turbo restores unchanged builds from its cache: fast when `pnpm build` already ran.
  await run('pnpm', ['exec', 'turbo', 'run', 'build', ...PUBLISHED.map((name) => `--filter=@sess/${name}`)], { cwd: REPO_DIR });
  for (const name of PUBLISHED) {
    const before = new Set(await readdir(work));
    await run('pnpm', ['pack', '--pack-destination', work], { cwd: path.join(REPO_DIR, 'packages', name) });
    const [file] = (await readdir(work)).filter((entry) => !before.has(entry) && entry.endsWith('.tgz'));
    if (file === undefined) throw new Error(`pnpm pack wrote no tarball for @sess/${name}`);
    tarballs.set(name, path.join(work, file));
  }
}, 300_000);

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

test.each(PUBLISHED)('@sess/%s: the tarball holds dist/, README.md, LICENSE and package.json only', async (name) => {
  const { stdout } = await run('tar', ['-tzf', tarballs.get(name)!]);
  const files = stdout.trim().split('\n');
  expect(files.filter((file) => !/^package\/(dist\/[^/]+|README\.md|LICENSE|package\.json)$/.test(file))).toEqual([]);
  expect(files).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.cjs', 'package/dist/index.d.ts', 'package/LICENSE']));
  const { stdout: manifest } = await run('tar', ['-xzOf', tarballs.get(name)!, 'package/package.json']);
  const pkg = JSON.parse(manifest) as Record<string, unknown> & { peerDependencies?: Record<string, string> };
  expect(pkg).toMatchObject({ repository: { url: 'git+https://github.com/sess-js/sess.git' }, homepage: expect.any(String), bugs: expect.any(Object) });
  expect((pkg.keywords as string[]).length).toBeGreaterThan(0);
  if (name !== 'core') expect(pkg.peerDependencies?.['@sess/core']).toBe('^0.1.0');
  expect(JSON.stringify(pkg)).not.toContain('workspace:');
});

interface App {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly files: Readonly<Record<string, string>>;
  /** Run after install, e.g. the TypeScript compiler. */
  readonly build?: readonly string[];
  readonly main: string;
}

const COUNT = `req.session.updateOr('n', 1, (n) => n + 1); res.send(String(req.session.get('n')));`;

const APPS: readonly App[] = [
  {
    name: 'CommonJS on Express',
    dependencies: ['express@5.3.0'],
    main: 'main.js',
    files: {
      'package.json': JSON.stringify({ name: 'cjs-app', private: true, type: 'commonjs' }),
      'main.js': `const express = require('express');
const { sessionMiddleware, CookieSessionStore, Key } = require('@sess/express');
const app = express();
app.use(sessionMiddleware({ store: new CookieSessionStore(), key: Key.fromBase64(process.env.SESSION_KEY) }));
app.get('/count', (req, res) => { ${COUNT} });
app.listen(Number(process.env.PORT), (error) => { if (error) throw error; });
`,
    },
  },
  {
    name: 'ESM TypeScript on Express, with a Key from the CommonJS build',
    dependencies: ['express@5.3.0', 'typescript@5.9.3', '@types/express@5.0.6', '@types/node@20.19.33'],
    build: ['node_modules/.bin/tsc', '-p', 'tsconfig.json'],
    main: 'dist/main.js',
    files: {
      'package.json': JSON.stringify({ name: 'esm-ts-app', private: true, type: 'module' }),
      // "source" is a condition many monorepos use for their own sources: @sess must not answer it.
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          customConditions: ['source'],
          types: ['node'],
          outDir: 'dist',
        },
        include: ['src'],
      }),
      'src/main.ts': `import { createRequire } from 'node:module';
import express from 'express';
import { sessionMiddleware, CookieSessionStore } from '@sess/express';
// A second copy of @sess/core in the process: the CommonJS build, next to the adapter's ESM one.
const { Key } = createRequire(import.meta.url)('@sess/core') as typeof import('@sess/core');
const app = express();
app.use(sessionMiddleware({ store: new CookieSessionStore(), key: Key.fromBase64(process.env.SESSION_KEY!) }));
app.get('/count', (req, res) => {
  req.session.updateOr('n', 1, (n: number) => n + 1);
  res.send(String(req.session.get<number>('n')));
});
app.listen(Number(process.env.PORT), (error?: Error) => {
  if (error) throw error;
});
`,
    },
  },
  {
    name: 'Koa',
    dependencies: ['koa@3.3.0'],
    main: 'main.mjs',
    files: {
      'package.json': JSON.stringify({ name: 'koa-app', private: true }),
      'main.mjs': `import Koa from 'koa';
import { sessionMiddleware, CookieSessionStore, Key } from '@sess/koa';
const app = new Koa();
app.use(sessionMiddleware({ store: new CookieSessionStore(), key: Key.fromBase64(process.env.SESSION_KEY) }));
app.use((ctx) => { ctx.session.updateOr('n', 1, (n) => n + 1); ctx.body = String(ctx.session.get('n')); });
app.listen(Number(process.env.PORT));
`,
    },
  },
  {
    name: 'Hono on Node',
    dependencies: ['hono@4.13.19', '@hono/node-server@2.1.8'],
    main: 'main.mjs',
    files: {
      'package.json': JSON.stringify({ name: 'hono-app', private: true }),
      'main.mjs': `import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { sessionMiddleware, CookieSessionStore, Key } from '@sess/hono';
const app = new Hono();
app.use(sessionMiddleware({ store: new CookieSessionStore(), key: Key.fromBase64(process.env.SESSION_KEY) }));
app.get('/count', (c) => { const s = c.get('session'); s.updateOr('n', 1, (n) => n + 1); return c.text(String(s.get('n'))); });
serve({ fetch: app.fetch, port: Number(process.env.PORT) });
`,
    },
  },
];

test.each(APPS)('$name: npm installs the tarballs, and the app counts in its session over HTTP', async (app) => {
  const dir = await mkdtemp(path.join(work, 'app-'));
  for (const [file, text] of Object.entries(app.files)) {
    await run('mkdir', ['-p', path.dirname(path.join(dir, file))]);
    await writeFile(path.join(dir, file), text);
  }
  const adapter = app.name.startsWith('Koa') ? 'koa' : app.name.startsWith('Hono') ? 'hono' : 'express';
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarballs.get('core')!, tarballs.get(adapter)!, ...app.dependencies], {
    cwd: dir,
  });
  if (app.build) await run(app.build[0]!, app.build.slice(1), { cwd: dir });
  const server = await startServer({
    command: (port) => ({ command: process.execPath, args: [app.main], cwd: dir, env: { PORT: String(port), SESSION_KEY } }),
    port: freePort,
    readyPath: '/count',
    timeoutMs: 30_000,
  });
  try {
    const first = await fetch(`${server.baseUrl}/count`);
    expect([first.status, await first.text()]).toEqual([200, '1']);
    const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!;
    const second = await fetch(`${server.baseUrl}/count`, { headers: { cookie } });
    expect([second.status, await second.text()]).toEqual([200, '2']);
  } finally {
    await server.stop();
  }
});
