import { contenderId, type Contender } from '../contenders.js';
import { median } from '../harness/stats.js';
import type { Scenario } from '../scenarios.js';
import type { RunSample, ScenarioResult } from './results.js';

/** The samples of one contender on one scenario, as the rounds produced them. */
export interface SampleSet {
  readonly contender: Contender;
  readonly scenario: Scenario;
  readonly samples: readonly RunSample[];
  /** Redis commands the contender's client sent per request (MONITOR pass), by command. */
  readonly redisClientPerRequest?: Readonly<Record<string, number>>;
}

/**
 * Reduces each (contender, scenario) to medians across rounds, then adds the ratios: to the
 * bare server of the same framework, to the best peer on that framework and scenario (the peer
 * with the highest median req/s; for @sess, the best peer of its kind: cookie against cookie,
 * Redis against server-side stores), the bare server's CPU per request over the contender's, and
 * the CPU per request the contender adds over the bare server.
 *
 * Each ratio is the median over rounds of the ratio within the round: a round runs the
 * contenders of a framework back to back, so a slow spell of the machine (a noisy neighbour on
 * the host) hits both sides of a ratio, where a ratio of medians could pair a slow round of one
 * with a fast round of the other. Rounds missing on either side are skipped.
 *
 * @example
 * ```ts
 * const results = aggregate(sampleSets)
 * ```
 */
export function aggregate(sets: readonly SampleSet[]): ScenarioResult[] {
  const partial = sets.map((set) => summarize(set));
  return partial.map((result) => {
    const sameRow = partial.filter((r) => r.framework === result.framework && r.scenario === result.scenario);
    const bare = sameRow.find((r) => r.kind === 'bare');
    const peers = sameRow.filter((r) => r.kind === 'peer' && sameKind(result, r));
    const best = peers.reduce<(typeof peers)[number] | undefined>((a, b) => (a === undefined || b.rps > a.rps ? b : a), undefined);
    return {
      ...result,
      ratioToBare: bare === undefined ? Number.NaN : roundRatio(result, bare, (s) => s.rps),
      ratioToBareRange: bare === undefined ? [Number.NaN, Number.NaN] : roundRatioRange(result, bare, (s) => s.rps),
      // CPU per request is a cost: the bare server's over the contender's, i.e. the inverse.
      cpuRatioToBare: bare === undefined ? Number.NaN : roundRatio(result, bare, (s) => 1 / s.cpuMicrosPerRequest),
      cpuAddedMicros: bare === undefined ? Number.NaN : median(roundDifferences(result, bare)),
      cpuAddedRange: bare === undefined ? [Number.NaN, Number.NaN] : range(roundDifferences(result, bare)),
      ratioToBestPeer: best === undefined ? null : roundRatio(result, best, (s) => s.rps),
      bestPeer: best === undefined ? null : best.label,
    };
  });
}

/**
 * Whether `peer` is of the same kind as `result` for the "× best peer" ratio: @sess's cookie
 * store against the cookie peers, its Redis store against the peers that keep the state on the
 * server (Redis or memory); every other row against all peers.
 */
function sameKind(result: Pick<Summary, 'kind' | 'store'>, peer: Pick<Summary, 'store'>): boolean {
  if (result.kind !== 'sess') return true;
  return (result.store === 'cookie') === (peer.store === 'cookie');
}

/** The median, over the rounds both ran, of `value(a's sample) / value(b's sample)`. */
function roundRatio(a: Pick<Summary, 'samples'>, b: Pick<Summary, 'samples'>, value: (sample: RunSample) => number): number {
  return median(roundRatios(a, b, value));
}

/** The lowest and highest of those per-round ratios: how much the machine's noise moved them. */
function roundRatioRange(
  a: Pick<Summary, 'samples'>,
  b: Pick<Summary, 'samples'>,
  value: (sample: RunSample) => number,
): readonly [number, number] {
  const ratios = roundRatios(a, b, value);
  return ratios.length === 0 ? [Number.NaN, Number.NaN] : [Math.min(...ratios), Math.max(...ratios)];
}

/** Per round, the CPU µs per request `a` spent beyond `b`. */
function roundDifferences(a: Pick<Summary, 'samples'>, b: Pick<Summary, 'samples'>): number[] {
  const differences: number[] = [];
  for (const sample of a.samples) {
    const other = b.samples.find((s) => s.round === sample.round);
    if (other !== undefined) differences.push(sample.cpuMicrosPerRequest - other.cpuMicrosPerRequest);
  }
  return differences;
}

function range(values: readonly number[]): readonly [number, number] {
  return values.length === 0 ? [Number.NaN, Number.NaN] : [Math.min(...values), Math.max(...values)];
}

function roundRatios(a: Pick<Summary, 'samples'>, b: Pick<Summary, 'samples'>, value: (sample: RunSample) => number): number[] {
  const ratios: number[] = [];
  for (const sample of a.samples) {
    const other = b.samples.find((s) => s.round === sample.round);
    if (other !== undefined) ratios.push(value(sample) / value(other));
  }
  return ratios;
}

type Summary = Omit<
  ScenarioResult,
  'ratioToBare' | 'ratioToBareRange' | 'cpuRatioToBare' | 'cpuAddedMicros' | 'cpuAddedRange' | 'ratioToBestPeer' | 'bestPeer'
>;

function summarize({ contender, scenario, samples, redisClientPerRequest }: SampleSet): Summary {
  const problems: string[] = [];
  for (const sample of samples) {
    if (sample.errors + sample.timeouts + sample.non2xx > 0) {
      problems.push(
        `round ${sample.round}: ${sample.errors} errors, ${sample.timeouts} timeouts, ${sample.non2xx} non-2xx of ${sample.requests}`,
      );
    }
  }
  const redisSamples = samples.map((s) => s.redisPerRequest).filter((r): r is Readonly<Record<string, number>> => r !== undefined);
  let redisPerRequest: Record<string, number> | undefined;
  let redisTotalPerRequest: number | undefined;
  if (redisSamples.length > 0) {
    const names = new Set(redisSamples.flatMap((r) => Object.keys(r)));
    redisPerRequest = {};
    for (const name of [...names].sort()) redisPerRequest[name] = median(redisSamples.map((r) => r[name] ?? 0));
    redisTotalPerRequest = median(redisSamples.map((r) => Object.values(r).reduce((a, b) => a + b, 0)));
  }
  return {
    framework: contender.framework,
    contender: contender.name,
    id: contenderId(contender),
    label: contender.label,
    kind: contender.kind,
    store: contender.store,
    scenario,
    samples,
    rps: median(samples.map((s) => s.rps)),
    p50Ms: median(samples.map((s) => s.p50Ms)),
    p99Ms: median(samples.map((s) => s.p99Ms)),
    cpuMicrosPerRequest: median(samples.map((s) => s.cpuMicrosPerRequest)),
    ...(redisPerRequest === undefined ? {} : { redisPerRequest, redisTotalPerRequest }),
    ...(redisClientPerRequest === undefined ? {} : { redisClientPerRequest }),
    problems,
  };
}
