import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';

/** What a server script builds for one contender: a server not yet listening, and its cleanup. */
export interface ContenderServer {
  readonly server: Server;
  /** Closes what the contender opened besides the server (Redis clients). */
  readonly close?: () => Promise<void>;
}

/** The messages a contender process sends its parent over IPC. */
export type ChildMessage =
  | { readonly type: 'ready'; readonly port: number; readonly pid: number }
  | { readonly type: 'failed'; readonly message: string };

/** The message the parent sends to stop a contender process. */
export interface StopMessage {
  readonly type: 'stop';
}

/**
 * Runs one contender in this process: builds it from the name in `argv[2]`, listens on
 * 127.0.0.1 with an ephemeral port and reports `{ type: 'ready', port, pid }` to the parent over
 * IPC. Stops cleanly (server, connections, Redis clients, then exit 0, so `--cpu-prof` writes its
 * profile) when the parent says `stop`, when the IPC channel closes (the parent died) or on SIGTERM.
 *
 * @param framework the framework's name, for error messages
 * @param build builds the contender's server from its name
 *
 * @example
 * ```ts
 * await serveContender('koa', async (name) => ({ server: createServer(buildApp(name).callback()) }))
 * ```
 */
export async function serveContender(
  framework: string,
  build: (name: string) => Promise<ContenderServer>,
): Promise<void> {
  const send = (message: ChildMessage): void => {
    process.send?.(message);
  };
  const name = process.argv[2];
  let built: ContenderServer;
  try {
    if (name === undefined) throw new Error(`Usage: ${framework}-server.ts <contender>`);
    built = await build(name);
    await new Promise<void>((resolve, reject) => {
      built.server.once('error', reject);
      built.server.listen(0, '127.0.0.1', () => {
        built.server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const { server } = built;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if ('closeAllConnections' in server && typeof server.closeAllConnections === 'function') {
      server.closeAllConnections();
    }
    await closed;
    await built.close?.();
    process.exit(0);
  };
  process.on('message', (message: StopMessage) => {
    if (message.type === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());

  const { port } = built.server.address() as AddressInfo;
  send({ type: 'ready', port, pid: process.pid });
}
