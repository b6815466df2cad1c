import { createClient } from 'redis';
import { send } from '@sess/test-harness';
import type { TrafficReport } from './failover-traffic.js';

/**
 * Makes sure everything written to the primary on `port` so far is on a replica: a write of our
 * own, then `WAIT 1` on the same connection. Replication is one ordered stream, so once the
 * replica has acknowledged our write it has every earlier write of every client.
 */
export async function waitForReplica(port: number, markerKey: string): Promise<void> {
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.set(markerKey, 'replicated', { expiration: { type: 'EX', value: 60 } });
    const acknowledged = await client.wait(1, 5000);
    if (acknowledged < 1) throw new Error(`No replica of 127.0.0.1:${port} acknowledged within 5 s`);
  } finally {
    client.destroy();
  }
}

/** The user each cookie's session shows (`GET /`), or the status when it fails. */
export async function usersSeen(url: string, users: readonly { cookie: string }[]): Promise<(string | number | null)[]> {
  return Promise.all(
    users.map(async ({ cookie }) => {
      const reply = await send(`${url}/`, { cookie });
      return reply.status === 200 ? (JSON.parse(reply.body) as { user: string | null }).user : reply.status;
    }),
  );
}

/** One line for the test log: the numbers the README quotes. */
export function describeReport(label: string, report: TrafficReport): string {
  const served = report.samples.filter((sample) => sample.outcome === 200).length;
  const slowest = Math.max(...report.samples.map((sample) => sample.end - sample.start));
  return `${label}: recovered after ${Math.round(report.recoveryMs)} ms; ${report.samples.length} requests, ${served} ok, ${report.errors} opaque 500, ${report.hung} hung, slowest ${Math.round(slowest)} ms`;
}

/** Counts `unhandledRejection` and `uncaughtException` events until `stop()`. */
export function watchCrashes(): { stop(): unknown[] } {
  const seen: unknown[] = [];
  const record = (error: unknown): void => {
    seen.push(error);
  };
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    stop() {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
      return seen;
    },
  };
}
