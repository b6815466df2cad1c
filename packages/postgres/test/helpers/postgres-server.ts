import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The PostgreSQL binaries of the Debian packages (`initdb`, `pg_ctl`), newest version first. */
function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('No PostgreSQL under /usr/lib/postgresql (Debian: apt-get install postgresql)');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/** A free TCP port on 127.0.0.1, as the kernel hands one out. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A throwaway PostgreSQL server this test started (its own data directory and port). */
export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  /** Stops the server (`pg_ctl stop -m immediate`: connections dropped, as in a crash). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) every process of the server: a hung host. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

/**
 * Starts a PostgreSQL server of its own with `initdb` and `pg_ctl`, in a temporary directory, on
 * a free loopback port, trust auth, no fsync (nothing here must survive a crash of the host).
 * `initdb` refuses to run as root: as root it runs them as the `postgres` user of the package.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'sess-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const asOwner = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asOwner.length > 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const exec = async (tool: string, args: string[]): Promise<void> => {
    const [command, ...rest] = [...asOwner, join(bin, tool), ...args];
    await run(command as string, rest, { timeout: 60_000 });
  };
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () => exec('pg_ctl', ['start', '-D', data, '-w', '-t', '30', '-l', join(dir, 'log'), '-o', options]);
  const stop = () => exec('pg_ctl', ['stop', '-D', data, '-w', '-m', 'immediate']);
  let running = false;
  await start();
  running = true;
  // Every process of this server: the postmaster (its pid file) and its children.
  const pids = async (): Promise<string[]> => {
    const postmaster = readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0] as string;
    const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', postmaster]);
    return [postmaster, ...stdout.split('\n').map((pid) => pid.trim()).filter(Boolean)];
  };
  const signal = async (name: 'SIGSTOP' | 'SIGCONT'): Promise<void> => {
    for (const pid of await pids()) process.kill(Number(pid), name);
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    signal,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) {
        await signal('SIGCONT').catch(() => undefined);
        await stop();
        running = false;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
