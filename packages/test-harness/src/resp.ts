import { createConnection } from 'node:net';

/** A reply to {@link redisCommand}: simple strings and bulk strings as text, integers as numbers. */
export type RespReply = string | number | null;

/**
 * Sends one command to the Redis server on `127.0.0.1:port` over a fresh connection and returns
 * its reply. Only what the test tooling needs (simple, error, integer and bulk replies), so that
 * starting and probing servers does not depend on the client library under test.
 *
 * @example
 * ```ts
 * await redisCommand(7010, ['PING']) // 'PONG'
 * ```
 */
export function redisCommand(port: number, args: readonly string[], timeoutMs = 2000): Promise<RespReply> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let buffer = Buffer.alloc(0);
    const finish = (error: Error | null, reply?: RespReply): void => {
      socket.destroy();
      if (error) reject(error);
      else resolve(reply ?? null);
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`127.0.0.1:${port} did not answer ${args[0]} within ${timeoutMs} ms`)));
    socket.on('error', (error) => finish(error));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const parsed = parseReply(buffer);
      if (parsed === undefined) return;
      if (parsed instanceof Error) finish(parsed);
      else finish(null, parsed);
    });
    socket.write(encode(args));
  });
}

function encode(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

/** Parses one reply, or returns `undefined` while it is incomplete. */
function parseReply(buffer: Buffer): RespReply | Error | undefined {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd === -1) return undefined;
  const type = String.fromCharCode(buffer[0] ?? 0);
  const line = buffer.subarray(1, lineEnd).toString('utf8');
  switch (type) {
    case '+':
      return line;
    case '-':
      return new Error(line);
    case ':':
      return Number(line);
    case '$': {
      const length = Number(line);
      if (length < 0) return null;
      const start = lineEnd + 2;
      if (buffer.length < start + length + 2) return undefined;
      return buffer.subarray(start, start + length).toString('utf8');
    }
    default:
      return new Error(`Unsupported RESP reply type ${JSON.stringify(type)}`);
  }
}

/**
 * Parses the `field:value` lines of an `INFO` or `CLUSTER INFO` reply.
 *
 * @example
 * ```ts
 * parseInfo(String(await redisCommand(7000, ['CLUSTER', 'INFO']))).cluster_state // 'ok'
 * ```
 */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

/**
 * Calls per command from the text of `INFO commandstats` (lines such as
 * `cmdstat_get:calls=10,usec=…`), lower-case names, without `info` and `config …` (an
 * inspector's own commands).
 *
 * @example
 * ```ts
 * parseCommandStats('cmdstat_get:calls=10,usec=20\r\n') // { get: 10 }
 * ```
 */
export function parseCommandStats(info: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match === null) continue;
    const name = (match[1] as string).toLowerCase();
    if (name === 'info' || name.startsWith('config')) continue;
    counts[name] = Number(match[2]);
  }
  return counts;
}
