import type { ContenderKind, Framework, StateStore } from '../contenders.js';
import type { Scenario } from '../scenarios.js';

/** One timed run of one contender on one scenario. */
export interface RunSample {
  readonly round: number;
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Server CPU (user + system, all threads) per completed request, in microseconds. */
  readonly cpuMicrosPerRequest: number;
  /** Redis commands per completed request, by lower-case command name; only for Redis contenders. */
  readonly redisPerRequest?: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /**
   * CPU the rest of the machine used during the run (everything but the server, this runner and
   * our redis-server), as a percentage of all cores: other work that makes the numbers noisy.
   */
  readonly otherCpuPercent: number;
}

/** The medians across rounds of one contender on one scenario, with its ratios. */
export interface ScenarioResult {
  readonly framework: Framework;
  readonly contender: string;
  readonly id: string;
  readonly label: string;
  readonly kind: ContenderKind;
  readonly store: StateStore;
  readonly scenario: Scenario;
  readonly samples: readonly RunSample[];
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuMicrosPerRequest: number;
  /** Median Redis commands per request by command, and their sum; `undefined` without Redis. */
  readonly redisPerRequest?: Readonly<Record<string, number>>;
  readonly redisTotalPerRequest?: number;
  /**
   * Commands the contender's client sent per request, by command, from a short MONITOR pass (the
   * counts above, from `INFO commandstats`, also include what Lua scripts run inside Redis).
   */
  readonly redisClientPerRequest?: Readonly<Record<string, number>>;
  /** Median req/s over the bare server's median req/s, same framework and scenario. */
  readonly ratioToBare: number;
  /**
   * The lowest and highest per-round ratio to bare: the spread the machine's noise gave this
   * ratio (the median above is what the targets are checked against).
   */
  readonly ratioToBareRange: readonly [number, number];
  /**
   * The bare server's median CPU µs/request over this one's: the share of the server's CPU the
   * framework's own work would take. Unlike req/s it does not depend on how much CPU autocannon
   * leaves the server, which matters when the bare server saturates the load generator.
   */
  readonly cpuRatioToBare: number;
  /**
   * Server CPU per request added over the bare server's, in µs: the median over rounds of the
   * difference within each round (what the session handling itself costs, steadier than req/s).
   */
  readonly cpuAddedMicros: number;
  /** The lowest and highest per-round difference. */
  readonly cpuAddedRange: readonly [number, number];
  /** Median req/s over the best peer's on this framework and scenario; `null` when there is no peer. */
  readonly ratioToBestPeer: number | null;
  readonly bestPeer: string | null;
  /** Anything that makes the numbers suspect (errors, non-2xx answers). */
  readonly problems: readonly string[];
}

/** One line of the target check. */
export interface TargetCheck {
  readonly framework: Framework;
  /** e.g. "cookie store, /read", "Redis commands, write". */
  readonly row: string;
  readonly id: string;
  readonly label: string;
  readonly scenario: Scenario;
  /** What was measured and what was required, as printed. */
  readonly measured: string;
  readonly required: string;
  readonly pass: boolean;
}

/** The machine a run happened on. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly kernel: string;
  readonly node: string;
}

/** The settings a run used. */
export interface RunSettingsInfo {
  readonly mode: 'full' | 'quick' | 'partial';
  readonly rounds: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  /** How the servers ran: compiled like the published packages, or from source under tsx. */
  readonly runtime: 'compiled' | 'tsx';
  /** How long each codec operation was timed. */
  readonly codecSeconds: number;
  /** How many distinct sessions the many-session scenarios cycled through (absent in older runs). */
  readonly sessions?: number;
}

/** What the concurrent-writers check found for one contender. */
export interface LostUpdateResult {
  readonly id: string;
  readonly label: string;
  readonly framework: Framework;
  readonly kind: ContenderKind;
  readonly store: StateStore;
  readonly sessions: number;
  /** Concurrent writers per session and wave. */
  readonly writers: number;
  readonly waves: number;
  /** Increments sent (logins included), and how many of them the final read did not show. */
  readonly expected: number;
  readonly lost: number;
  /** Writes answered with something else than 200 (also counted in `lost`). */
  readonly failures: number;
}

/** One line of the codec micro-benchmark. */
export interface CodecResult {
  readonly library: string;
  readonly operation: string;
  readonly state: string;
  readonly stateBytes: number;
  /** Length of the cookie value (the sealed string) for this state. */
  readonly sealedChars: number;
  readonly opsPerSecond: number;
  readonly microsPerOp: number;
}

/** What the sanity pass recorded about each contender. */
export interface SanitySummary {
  readonly id: string;
  readonly label: string;
  readonly newVisitorGetsCookie: boolean;
  readonly cookieNames: readonly string[];
}

/** Everything `latest.json` holds. */
export interface BenchReport {
  readonly date: string;
  readonly machine: MachineInfo;
  readonly settings: RunSettingsInfo;
  readonly sanity: readonly SanitySummary[];
  readonly results: readonly ScenarioResult[];
  readonly targets: readonly TargetCheck[];
  readonly codec: readonly CodecResult[];
  /** The concurrent-writers check (absent in older runs). */
  readonly lostUpdates?: readonly LostUpdateResult[];
  readonly durationMinutes: number;
}
