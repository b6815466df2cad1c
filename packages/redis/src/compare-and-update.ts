import { deserializeState, type CompareAndUpdateResult, type SessionKey } from '@sess/core';
import { LuaScript } from './lua-script.js';
import type { RunCommand } from './owner-index.js';
import { asText } from './replies.js';

/**
 * Compare-and-update of one session record, as one Lua script on one key: a Cluster routes it
 * by that key, and Redis runs it atomically (no command of another client runs between its GET
 * and its SET). KEYS[1] the record; ARGV[1] the record the request loaded; ARGV[2] the new
 * record; ARGV[3] the TTL in seconds, set with the value by the same SET. Replies 1 when
 * written, 0 when the record is gone (it is never recreated), or the current record when
 * another request wrote first (so the lifecycle replays on it without another GET). What is not
 * atomic: the owner index, another key, is written by its own command before this one.
 */
const COMPARE_AND_UPDATE = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if current ~= ARGV[1] then return current end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
`);

/**
 * Runs {@link COMPARE_AND_UPDATE} for `sessionKey` (Redis key `redisKey`): an uncontended write
 * is this one command (after the `GET` of the load).
 *
 * @example
 * ```ts
 * await compareAndUpdateRecord(run, key, redisKey, serializeState(loaded), serializeState(next), 86_400)
 * ```
 */
export async function compareAndUpdateRecord(
  run: RunCommand,
  sessionKey: SessionKey,
  redisKey: string,
  expected: string,
  record: string,
  ttlSeconds: number,
): Promise<CompareAndUpdateResult> {
  const reply = await run('EVALSHA (compare-and-update)', (redis) => COMPARE_AND_UPDATE.run(redis, redisKey, [expected, record, String(ttlSeconds)]));
  if (reply === 1) return { outcome: 'updated', sessionKey };
  if (reply === 0) return { outcome: 'missing' };
  return { outcome: 'conflict', current: deserializeState(asText(reply)) };
}
