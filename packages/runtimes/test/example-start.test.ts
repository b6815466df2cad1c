import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { freePort } from '../src/free-port.js';
import { startServer } from '../src/server-process.js';

// Every example, started by its own `start` script as `pnpm start` would (`sh -c <script>` with
// the example's node_modules/.bin on PATH), must end with a non-zero exit and say why when its
// port is taken: a demo that prints its address and exits 0 (Express 5 hands the listen error to
// the callback) looks started to a newcomer who then opens someone else's server.

const REPO_DIR = path.join(__dirname, '../../..');
const EXIT_TIMEOUT_MS = 60_000;

jest.setTimeout(EXIT_TIMEOUT_MS + 10_000);

interface Example {
  readonly folder: string;
  /** What the output must say: the example's own message on Node, the runtime's elsewhere. */
  readonly says: (port: number) => RegExp;
}

const ours = (name: string) => (port: number) => new RegExp(`@sess ${name} example: cannot listen on port ${port}: the port is in use`);
const EXAMPLES: readonly Example[] = [
  { folder: 'examples/express', says: ours('Express') },
  { folder: 'examples/koa', says: ours('Koa') },
  { folder: 'examples/hono', says: ours('Hono') },
  { folder: 'examples/node-http', says: ours('node:http') },
  // Bun.serve, Deno.serve and workerd throw on a taken port and end with exit code 1 by themselves.
  { folder: 'examples/bun', says: (port) => new RegExp(`Is port ${port} in use\\?`) },
  { folder: 'examples/deno', says: () => /AddrInUse: Address already in use/ },
  { folder: 'examples/workers', says: () => /bind\(\): Address already in use/ },
];

function startCommand(cwd: string, port: number) {
  const { scripts } = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return {
    command: 'sh',
    args: ['-c', scripts.start],
    cwd,
    env: {
      ...process.env,
      PATH: [path.join(cwd, 'node_modules/.bin'), process.env.PATH].join(path.delimiter),
      PORT: String(port),
      DENO_NO_UPDATE_CHECK: '1',
    },
  };
}

/** Runs a start script to its end; kills its process group if it is still running at the deadline. */
async function runToExit(cwd: string, port: number): Promise<{ code: number | null; output: string }> {
  const spec = startCommand(cwd, port);
  const child = spawn(spec.command, spec.args, { cwd, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, EXIT_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}

/** A POST with a chosen Host header (fetch does not let a caller set Host); resolves with the status. */
function postWithHost(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { host, 'content-length': '0' } }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode));
    });
    req.once('error', reject);
    req.end();
  });
}

/** Takes a port on every interface, as the examples listen on every interface. */
async function takePort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { port: address.port, server };
}

describe.each(EXAMPLES)('$folder', ({ folder, says }) => {
  test(`${folder}: \`pnpm start\` on a taken port exits non-zero and says the port is in use`, async () => {
    const { port, server } = await takePort();
    try {
      const { code, output } = await runToExit(path.join(REPO_DIR, folder), port);
      expect({ code, output }).toEqual({ code: expect.any(Number), output: expect.stringMatching(says(port)) });
      expect(code).not.toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

// The demos answer a LAN address over plain HTTP with a Secure cookie the browser will drop:
// each Node framework example says so once on its console, not on every request.
describe.each(['express', 'koa', 'hono'])('examples/%s', (name) => {
  test(`${name}: the example warns once that a Secure cookie over plain HTTP to a LAN host will not stick`, async () => {
    const cwd = path.join(REPO_DIR, 'examples', name);
    const server = await startServer({
      command: (port) => {
        const spec = startCommand(cwd, port);
        return { ...spec, env: { ...spec.env, SESSION_KEY: randomBytes(64).toString('base64') } };
      },
      port: freePort,
      readyPath: '/',
      timeoutMs: 45_000,
    });
    try {
      const post = (host: string) => postWithHost(`${server.baseUrl}/counter`, host);
      expect(await post('localhost')).toBe(303);
      expect(server.output()).not.toContain('warning:');
      expect([await post('192.168.1.20:3000'), await post('192.168.1.20:3000')]).toEqual([303, 303]);
      // Console output reaches the pipe asynchronously.
      for (let i = 0; i < 50 && !server.output().includes('warning:'); i++) await new Promise((r) => setTimeout(r, 100));
      const warnings = server.output().match(/warning: the session cookie is Secure, and 192\.168\.1\.20 was reached over plain HTTP/g);
      expect(warnings).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });
});
