import { randomUUID } from 'node:crypto';
import { createConnection, type Socket } from 'node:net';

/**
 * Counts the commands clients send to a Redis server, by name, from its `MONITOR` stream:
 * commands a Lua script runs (`[0 lua]` in the stream) are left out, where `INFO commandstats`
 * counts them too (a compare-and-update by `EVALSHA` would show its inner `GET` and `SET`).
 * MONITOR slows Redis down, so it is for short accounting passes, never under timed load.
 *
 * @example
 * ```ts
 * const monitor = await startMonitor(redis.port)
 * await send(port, 'POST', '/write', cookie)
 * await monitor.stop() // { get: 1, evalsha: 1 }
 * ```
 */
export async function startMonitor(port: number): Promise<{ stop(): Promise<Record<string, number>> }> {
  const socket = await connect(port);
  const marker = `bench-monitor-end-${randomUUID()}`;
  const counts: Record<string, number> = {};
  let ready!: () => void;
  let ended!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const done = new Promise<void>((resolve) => (ended = resolve));
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (line === '+OK') ready();
      const match = /^\+[\d.]+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
      if (match === null) continue;
      const [, source, name] = match as unknown as [string, string, string];
      if (line.includes(marker)) ended();
      else if (source !== 'lua') counts[name.toLowerCase()] = (counts[name.toLowerCase()] ?? 0) + 1;
    }
  });
  socket.write('MONITOR\r\n');
  await started;
  return {
    async stop() {
      // Everything sent before the marker is in the stream before it: no sleeping on a guess.
      await echo(port, marker);
      await withTimeout(done, 5000, 'MONITOR did not show the end marker');
      socket.destroy();
      return counts;
    },
  };
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function echo(port: number, text: string): Promise<void> {
  const socket = await connect(port);
  await new Promise<void>((resolve, reject) => {
    socket.once('data', () => resolve());
    socket.once('error', reject);
    socket.write(`*2\r\n$4\r\nECHO\r\n$${Buffer.byteLength(text)}\r\n${text}\r\n`);
  });
  socket.destroy();
}

async function withTimeout(promise: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
