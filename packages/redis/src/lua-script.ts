import { createHash } from 'node:crypto';
import type { RedisSessionCommands } from './redis-client.js';

/**
 * A Lua script run by `EVALSHA`, falling back to `EVAL` when the server does not know it yet
 * (`NOSCRIPT`: after a restart, a failover, or on a cluster node that never ran it). Scripts here
 * touch one key only, so a cluster routes them by that key, and Redis runs each one atomically:
 * no other command runs between its reads and writes.
 *
 * @example
 * ```ts
 * const script = new LuaScript("return redis.call('GET', KEYS[1])")
 * await script.run(commands, key, [])
 * ```
 */
export class LuaScript {
  readonly sha1: string;

  constructor(readonly source: string) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script on `key` with `args`; the reply as Redis gave it. */
  async run(commands: RedisSessionCommands, key: string, args: string[]): Promise<unknown> {
    const options = { keys: [key], arguments: args };
    try {
      return await commands.evalSha(this.sha1, options);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      // EVAL also caches the script, so the next EVALSHA on this node succeeds.
      return commands.eval(this.source, options);
    }
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
