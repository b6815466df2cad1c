import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();

/**
 * Remembers a child process until it exits, so that an interrupted run (Ctrl-C, SIGTERM) can
 * stop every contender server it started: see {@link killTrackedChildren}.
 *
 * @example
 * ```ts
 * trackChild(fork(script, [name]))
 * ```
 */
export function trackChild(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/**
 * Sends SIGTERM to every tracked child still running (contender servers stop cleanly on it).
 *
 * @example
 * ```ts
 * process.once('SIGINT', () => { killTrackedChildren(); process.exit(130) })
 * ```
 */
export function killTrackedChildren(): void {
  for (const child of running) child.kill('SIGTERM');
}
