import { createServer } from 'node:net';

/**
 * `count` loopback ports between `first` and `last` that nothing listens on right now, in
 * ascending order. The 7000–7299 range is shared by every helper's tests on a machine, so a
 * suite that starts several servers picks its ports when it starts instead of hard-coding them.
 * (A port found free may still be taken before the server binds it; startRedisServer then fails
 * with a clear message.)
 *
 * @example
 * ```ts
 * const [primary, replica] = await freePorts(2, 7100, 7199)
 * ```
 */
export async function freePorts(count: number, first: number, last: number): Promise<number[]> {
  const found: number[] = [];
  for (let port = first; port <= last && found.length < count; port++) {
    if (await canBind(port)) found.push(port);
  }
  if (found.length < count) throw new Error(`Only ${found.length} of ${count} ports free in 127.0.0.1:${first}–${last}`);
  return found;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
