import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningServer } from './route-table.js';

/**
 * Listens on 127.0.0.1 with an ephemeral port and returns the handle tests use.
 *
 * @example
 * ```ts
 * return listen(createServer(app.callback()), errors)
 * ```
 */
export async function listen(server: Server, errors: readonly unknown[]): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    errors,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
