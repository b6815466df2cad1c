import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Key } from '@sess/core';
import { freePort } from '../src/free-port.js';
import { runtimePackageVersion, type RuntimeName } from '../src/runtime-binaries.js';
import { startServer, type RunningServer } from '../src/server-process.js';
import { Browser, type Visit } from './browser.js';
import { sealCookie } from './seal.js';

// Runs each example's own `start` script, as `pnpm start` would (`sh -c <script>` with the
// example's node_modules/.bin on PATH), on a free port with a fixed SESSION_KEY, and clicks
// through the demo over HTTP. The runtimes are the ones `pnpm start` finds there: pnpm's shims
// of `bun` (the real binary, which the bun package's postinstall installs: pnpm-workspace.yaml
// allows it), `deno` and `workerd`.

const PACKAGE_DIR = path.join(__dirname, '..');
const REPO_DIR = path.join(PACKAGE_DIR, '../..');
const START_TIMEOUT_MS = 45_000;
const KEY_BYTES = randomBytes(64);

jest.setTimeout(20_000);

interface ExampleCase {
  readonly runtime: RuntimeName;
  readonly folder: string;
  /** The page heading, which the example's own entry module sets. */
  readonly heading: string;
  /**
   * What the runtime itself prints once the example listens: its version, as only that runtime
   * knows it. None for workerd: the banner of the workers example is echoed by its start script
   * before workerd even starts, so it would prove nothing, and workerd prints nothing of its own.
   */
  readonly banner?: string;
}

// The workers example's page comes from its worker module (`export default { fetch }`), which
// only a Workers runtime can serve, and its start script starts only workerd; that workerd runs
// this app without any Node API is what runtimes.test.ts proves, through Hono's own runtime
// detection (X-Runtime: workerd).
const EXAMPLES: readonly ExampleCase[] = [
  { runtime: 'bun', folder: 'examples/bun', heading: '@sess on Hono (Bun)', banner: `on Bun ${runtimePackageVersion('bun', PACKAGE_DIR)}:` },
  { runtime: 'deno', folder: 'examples/deno', heading: '@sess on Hono (Deno)', banner: `on Deno ${runtimePackageVersion('deno', PACKAGE_DIR)}:` },
  { runtime: 'workerd', folder: 'examples/workers', heading: '@sess on Hono (Cloudflare Workers)' },
];

const servers = new Map<RuntimeName, RunningServer>();
const startErrors = new Map<RuntimeName, unknown>();

beforeAll(async () => {
  await Promise.all(
    EXAMPLES.map(async ({ runtime, folder }) => {
      const cwd = path.join(REPO_DIR, folder);
      const { scripts } = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { scripts: { start: string } };
      try {
        const server = await startServer({
          command: (port) => ({
            command: 'sh',
            args: ['-c', scripts.start],
            cwd,
            env: {
              PATH: [path.join(cwd, 'node_modules/.bin'), process.env.PATH].join(path.delimiter),
              PORT: String(port),
              SESSION_KEY: KEY_BYTES.toString('base64'),
              DENO_NO_UPDATE_CHECK: '1',
            },
          }),
          port: freePort,
          readyPath: '/',
          timeoutMs: START_TIMEOUT_MS,
        });
        servers.set(runtime, server);
      } catch (error) {
        startErrors.set(runtime, error);
      }
    }),
  );
}, START_TIMEOUT_MS * 2 + 15_000);

afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.stop()));
  servers.clear();
});

function server(runtime: RuntimeName): RunningServer {
  const running = servers.get(runtime);
  if (running) return running;
  const cause = startErrors.get(runtime);
  throw new Error(`the ${runtime} example did not start: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
}

describe.each(EXAMPLES)('$folder', ({ runtime, folder, heading, banner }) => {
  test(`${runtime}: \`pnpm start\` in ${folder} serves the demo and says so`, async () => {
    const b = new Browser(server(runtime).baseUrl, '');
    const home = await b.page();
    expect(home.visit.status).toBe(200);
    expect(home.visit.sessionCookies).toEqual([]);
    expect(home).toMatchObject({ counter: 0, user: undefined, status: 'unchanged', canLogIn: true });
    expect(home.visit.body).toContain(`<h1>${heading}</h1>`);
    if (banner !== undefined) expect(server(runtime).output()).toContain(banner);
    // SESSION_KEY was given, so no notice about a random key. Each example prints it when it
    // builds its app (the worker on its first request, which the readiness poll made), and
    // workerd passes a worker's console output through (without SESSION_KEY the notice shows).
    // That the key in use is SESSION_KEY is proven by the test below, not by this absence.
    expect(server(runtime).output()).not.toContain('SESSION_KEY is not set');
  });

  test(`${runtime}: the ${folder} demo counts, logs in (renew) and logs out (purge)`, async () => {
    const b = new Browser(server(runtime).baseUrl, '');
    // Each action redirects to the page with the status its request ended in, which the page shows.
    const reportedAfter = async ({ status, location }: Visit): Promise<string | undefined> => {
      expect(status).toBe(303);
      return /id="last-status">([^<]*)</.exec((await b.go(location!)).body)?.[1];
    };
    expect(await reportedAfter(await b.go('/counter', {}))).toBe('changed');
    expect(b.cookie).toBeDefined();
    expect(await b.page()).toMatchObject({ counter: 1, status: 'unchanged' });
    const anonymous = b.cookie;
    expect(await reportedAfter(await b.go('/login', { user: 'ferris' }))).toBe('renewed');
    expect(b.cookie).not.toBe(anonymous);
    expect(await b.page()).toMatchObject({ counter: 1, user: 'ferris', canLogIn: false });
    const logout = await b.go('/logout', {});
    expect(logout.sessionCookies[0]).toMatch(/^id=;.*Max-Age=0/);
    expect(await reportedAfter(logout)).toBe('purged');
    expect(b.cookie).toBeUndefined();
    expect(await b.page()).toMatchObject({ counter: 0, user: undefined, canLogIn: true });
  });

  test(`${runtime}: the ${folder} demo seals with SESSION_KEY from its environment`, async () => {
    const b = new Browser(server(runtime).baseUrl, '');
    b.cookie = await sealCookie(Key.from(KEY_BYTES), { path: '/', contentSecurity: 'private' }, { user: 'sealed by node' });
    expect((await b.page()).user).toBe('sealed by node');
  });
});
