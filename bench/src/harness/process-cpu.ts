import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** `getconf CLK_TCK`: the unit of `/proc/<pid>/stat` times (100 on Linux almost everywhere). */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU time a process has used so far, user plus system, in microseconds, from `/proc/<pid>/stat`
 * (fields 14 and 15, `utime` and `stime`; for a process they include all its threads, so the
 * libuv pool that runs Web Crypto work is counted). Linux only.
 *
 * @example
 * ```ts
 * const before = processCpuMicros(pid)
 * // … load …
 * const usedMicros = processCpuMicros(pid) - before
 * ```
 */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: split after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / clockTicksPerSecond();
}

/**
 * CPU time the whole machine has been busy so far (every core, everything but idle and I/O
 * wait), in microseconds, from the first line of `/proc/stat`. Linux only.
 *
 * @example
 * ```ts
 * const before = machineBusyMicros()
 * ```
 */
export function machineBusyMicros(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return ((total - idle) * 1_000_000) / clockTicksPerSecond();
}
