import type { Framework } from '../contenders.js';
import type { Scenario } from '../scenarios.js';
import type { ScenarioResult, TargetCheck } from './results.js';

/** A target row of the issue: which store and scenario. */
type TargetRow = 'cookie-read' | 'cookie-write' | 'redis-read' | 'redis-write' | 'new-visitor';

/**
 * The targets: @sess's median req/s as a fraction of the bare framework's, same run.
 *
 * @example
 * ```ts
 * RATIO_TARGETS.koa['redis-write'] // 0.55
 * ```
 */
export const RATIO_TARGETS: Readonly<Record<Framework, Readonly<Record<TargetRow, number>>>> = {
  express: { 'cookie-read': 0.9, 'cookie-write': 0.85, 'redis-read': 0.85, 'redis-write': 0.8, 'new-visitor': 0.97 },
  koa: { 'cookie-read': 0.75, 'cookie-write': 0.65, 'redis-read': 0.65, 'redis-write': 0.55, 'new-visitor': 0.95 },
  hono: { 'cookie-read': 0.6, 'cookie-write': 0.5, 'redis-read': 0.5, 'redis-write': 0.4, 'new-visitor': 0.9 },
  // No issue set Fastify targets yet: Hono's stand until a full run on a quiet host sets real ones.
  fastify: { 'cookie-read': 0.6, 'cookie-write': 0.5, 'redis-read': 0.5, 'redis-write': 0.4, 'new-visitor': 0.9 },
};

/** The Redis command budget per request for @sess: new visitor 0, read 1, write 2. */
export const REDIS_COMMAND_TARGETS: Readonly<Partial<Record<Scenario, number>>> = {
  'new-visitor': 0,
  read: 1,
  write: 2,
  'read-many': 1,
  'write-many': 2,
};

/**
 * Issue 19's targets for the many-session rows: server CPU µs per request that @sess may add over
 * the bare framework (Express: 60 on every row).
 *
 * @example
 * ```ts
 * CPU_ADDED_TARGETS.koa['redis-write'] // 40
 * ```
 */
export const CPU_ADDED_TARGETS: Readonly<Record<Framework, Readonly<Record<ManyRow, number>>>> = {
  express: { 'cookie-read': 60, 'cookie-write': 60, 'redis-read': 60, 'redis-write': 60 },
  koa: { 'cookie-read': 15, 'cookie-write': 30, 'redis-read': 25, 'redis-write': 40 },
  hono: { 'cookie-read': 15, 'cookie-write': 30, 'redis-read': 25, 'redis-write': 40 },
  fastify: { 'cookie-read': 15, 'cookie-write': 30, 'redis-read': 25, 'redis-write': 40 },
};

/** Issue 19: a new visitor costs @sess at most this many µs of CPU more than a no-op middleware. */
export const NEW_VISITOR_OVER_NOOP_MICROS = 2;

type ManyRow = Exclude<TargetRow, 'new-visitor'>;

const ROW_TITLES: Readonly<Record<TargetRow, string>> = {
  'cookie-read': 'cookie store, /read',
  'cookie-write': 'cookie store, /write',
  'redis-read': 'Redis store, /read',
  'redis-write': 'Redis store, /write',
  'new-visitor': 'new visitor',
};

/**
 * Checks every @sess result against the targets: on the one-cookie rows and the new visitor, its
 * ratio to the bare framework (issue 5); on the many-session rows, the CPU per request it adds
 * over bare (issue 19); for a new visitor, its CPU against the no-op middleware's; everywhere,
 * being ahead of the best peer of its kind (above its median req/s); and for the Redis store its
 * commands per request (within 0.02, since requests in flight when a run stops blur the count).
 *
 * @example
 * ```ts
 * const failed = checkTargets(results).filter((t) => !t.pass)
 * ```
 */
export function checkTargets(results: readonly ScenarioResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const result of results) {
    if (result.kind !== 'sess') continue;
    // The targets were set for the cookie and Redis stores; PostgreSQL rows are reported, not judged.
    if (result.store === 'postgres') continue;
    const base = { framework: result.framework, id: result.id, label: result.label, scenario: result.scenario };
    const row = targetRow(result);
    if (row !== undefined) {
      const many = result.scenario === 'read-many' || result.scenario === 'write-many';
      const title = `${ROW_TITLES[row]}${many ? ', many sessions' : ''}`;
      if (many && row !== 'new-visitor') {
        const limit = CPU_ADDED_TARGETS[result.framework][row];
        checks.push({
          ...base,
          row: `${title}, CPU added`,
          measured: `+${result.cpuAddedMicros.toFixed(1)} µs (${result.ratioToBare.toFixed(2)}× bare)`,
          required: `≤ +${limit} µs`,
          pass: result.cpuAddedMicros <= limit,
        });
      } else if (!many) {
        const target = RATIO_TARGETS[result.framework][row];
        checks.push({
          ...base,
          row: title,
          measured: `${result.ratioToBare.toFixed(2)}× bare (CPU ${result.cpuRatioToBare.toFixed(2)}×)`,
          required: `≥ ${target.toFixed(2)}×`,
          pass: result.ratioToBare >= target,
        });
      }
      if (row === 'new-visitor') checks.push(...overNoop(result, results));
      if (result.ratioToBestPeer !== null) {
        checks.push({
          ...base,
          row: `${title}, vs peers`,
          measured: `${result.ratioToBestPeer.toFixed(2)}× ${result.bestPeer ?? ''}`.trim(),
          required: '> 1.00× best peer',
          pass: result.ratioToBestPeer > 1,
        });
      }
    }
    const commands = REDIS_COMMAND_TARGETS[result.scenario];
    // What the client sent (MONITOR) when measured; older runs only have INFO commandstats.
    const sent =
      result.redisClientPerRequest === undefined
        ? result.redisTotalPerRequest
        : Object.values(result.redisClientPerRequest).reduce((a, b) => a + b, 0);
    if (result.store === 'redis' && commands !== undefined && sent !== undefined) {
      checks.push({
        ...base,
        row: `Redis commands per request, ${result.scenario}`,
        measured: `${sent.toFixed(2)}${commandList(result.redisClientPerRequest)}`,
        required: String(commands),
        pass: Math.abs(sent - commands) < 0.02,
      });
    }
  }
  return checks;
}

function targetRow(result: ScenarioResult): TargetRow | undefined {
  if (result.scenario === 'new-visitor') return 'new-visitor';
  if (result.scenario === 'plain') return undefined;
  const store = result.store === 'redis' ? 'redis' : 'cookie';
  return `${store}-${result.scenario.startsWith('read') ? 'read' : 'write'}`;
}

/** A new visitor's CPU over the no-op middleware's on the same framework, when one was measured. */
function overNoop(result: ScenarioResult, results: readonly ScenarioResult[]): TargetCheck[] {
  const noop = results.find((r) => r.kind === 'noop' && r.framework === result.framework && r.scenario === result.scenario);
  if (noop === undefined) return [];
  const over = result.cpuAddedMicros - noop.cpuAddedMicros;
  return [
    {
      framework: result.framework,
      id: result.id,
      label: result.label,
      scenario: result.scenario,
      row: 'new visitor, CPU over a no-op middleware',
      measured: `${over >= 0 ? '+' : '−'}${Math.abs(over).toFixed(1)} µs`,
      required: `≤ +${NEW_VISITOR_OVER_NOOP_MICROS} µs`,
      pass: over <= NEW_VISITOR_OVER_NOOP_MICROS,
    },
  ];
}

/** ` (GET 1.00, EVALSHA 1.00)`, or nothing when no command was sent or none was counted. */
function commandList(counts: Readonly<Record<string, number>> | undefined): string {
  const parts = Object.entries(counts ?? {}).map(([name, n]) => `${name.toUpperCase()} ${n.toFixed(2)}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
