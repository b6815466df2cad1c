import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import path from 'node:path';

// A client that sends part of a POST /login body, then drops its connection: the body read
// rejects. The server runs as `pnpm start` runs it, in its own process, because what must not
// happen (an unhandled rejection ending Node) would go unseen inside jest's.

const DIR = path.join(__dirname, '..');
const { scripts } = JSON.parse(readFileSync(path.join(DIR, 'package.json'), 'utf8')) as { scripts: { start: string } };

jest.setTimeout(30_000);

let child: ChildProcess;
/** Settles once every process of the example has exited and released the output pipes. */
let closed: Promise<unknown>;
let output = '';
let base: string;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn('sh', ['-c', scripts.start], {
    cwd: DIR,
    env: { ...process.env, PATH: [path.join(DIR, 'node_modules/.bin'), process.env.PATH].join(path.delimiter), PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: the start script's tsx runs the server in a child of its own, and
    // both must be stopped.
    detached: true,
  });
  closed = new Promise((resolve) => child.once('close', resolve));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes(`on http://localhost:${port}`)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the example exited (${String(code)}) before listening:\n${output}`)));
  });
});

afterAll(async () => {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // The group is already gone.
  }
  await closed;
});

/** Sends the head of POST /login and `partial` of its announced 100-byte body, then resets the connection. */
async function abortedLogin(partial: string): Promise<void> {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    'POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      `Content-Length: 100\r\n\r\n${partial}`,
  );
  // Long enough for the server to be reading the body when the connection goes.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.resetAndDestroy();
  await closed;
  // The server handles the reset in its own process: give it the moment it takes.
  await new Promise((resolve) => setTimeout(resolve, 200));
}

test('a client aborting its POST /login body leaves the server running and answering', async () => {
  for (const partial of ['user=fer', 'user=ris']) {
    await abortedLogin(partial);
    // The output is in the object so that a crash shows its stack.
    expect({ exitCode: child.exitCode, signalCode: child.signalCode, output }).toMatchObject({ exitCode: null, signalCode: null });
  }
  const res = await fetch(`${base}/`);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('<strong id="counter">0</strong>');
  // A dropped connection is not an error worth a log line.
  expect(output).not.toMatch(/Error|aborted|ECONNRESET/);
});
