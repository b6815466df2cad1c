import { cpus, platform, release, totalmem } from 'node:os';
import type { MachineInfo } from './results.js';

/**
 * The machine the benchmark runs on, for the report header and the JSON.
 *
 * @example
 * ```ts
 * describeMachine().cores // 2
 * ```
 */
export function describeMachine(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown CPU',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: platform(),
    kernel: release(),
    node: process.version,
  };
}
