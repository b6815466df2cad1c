import { CookieSessionStore, createSessionManager, Key, type ContentSecurity, type JsonValue } from '@sess/core';
import { sealData, unsealData } from 'iron-session';
import type { CodecResult } from '../report/results.js';
import { PEER_SECRET } from '../servers/server-settings.js';

/** How long to time each operation, and how to report progress. */
export interface CodecBenchOptions {
  readonly seconds: number;
  readonly log: (line: string) => void;
}

/**
 * Distinct sealed values cycled through for "cold" opens: well above the 1000 opened values a
 * session manager remembers, so every open misses that cache (first in, first out).
 */
const DISTINCT_VALUES = 4096;

type State = Record<string, JsonValue>;

/** ~30 bytes of JSON: what most sessions hold (a user id and a counter). */
function smallState(i: number): State {
  return { counter: i, user: 'ferris' };
}

/**
 * ~2.8 KB of JSON: close to the largest state a private @sess cookie can carry (base64 of
 * nonce + ciphertext + tag, percent-encoded, must stay within 4096 bytes with its name; the
 * margin absorbs the random number of `/` that percent-encoding widens).
 */
function largeState(i: number): State {
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(80).slice(0, 2750);
  return { counter: i, user: 'ferris', profile: filler };
}

const STATES = [
  { name: 'small', make: smallState },
  { name: '~2.8 KB', make: largeState },
] as const;

interface Codec {
  readonly library: string;
  seal(state: State): Promise<string>;
  /** Opens a value `seal` returned and returns the counter, to prove it opened. */
  open(sealed: string): Promise<unknown>;
}

/** @sess's cookie codec through the public lifecycle: `commit` of a new session seals, `load` opens. */
function sessCodec(contentSecurity: ContentSecurity): Codec {
  const key = Key.generate();
  const options = { store: new CookieSessionStore(), key, cookie: { contentSecurity } } as const;
  // Two managers with one key: the sealing one remembers what it sealed, and the opening one must
  // start with nothing remembered for the cold measurement to be cold.
  const sealer = createSessionManager(options);
  const opener = createSessionManager(options);
  const prefix = `${opener.cookieName}=`;
  return {
    library: `@sess ${contentSecurity}`,
    async seal(state) {
      const rs = await sealer.load(undefined);
      for (const [name, value] of Object.entries(state)) rs.session.insert(name, value);
      const [setCookie] = await sealer.commit(rs, { status: 200 });
      if (setCookie === undefined) throw new Error('commit() issued no cookie');
      return setCookie.slice(prefix.length, setCookie.indexOf(';'));
    },
    async open(sealed) {
      return (await opener.load(prefix + sealed)).session.get('counter');
    },
  };
}

function ironCodec(): Codec {
  const options = { password: PEER_SECRET, ttl: 86_400 };
  return {
    library: 'iron-session',
    seal: (state) => sealData(state, options),
    open: async (sealed) => (await unsealData<State>(sealed, options)).counter,
  };
}

/**
 * Times sealing and opening session cookies: @sess (private and signed, through
 * `createSessionManager` + `commit`/`load`, so state serialisation and the `Set-Cookie` text are
 * included) next to iron-session's `sealData`/`unsealData` (which include `JSON.stringify`/`parse`),
 * for a small and a ~3 KB state. Opens are timed on fresh values (cold: @sess's cache of opened
 * values misses) and on one value repeated (warm: @sess answers from that cache; iron-session has
 * none, so its warm and cold are the same work). One operation at a time, awaited.
 *
 * @example
 * ```ts
 * const rows = await runCodecBenchmark({ seconds: 2, log: console.error })
 * ```
 */
export async function runCodecBenchmark(options: CodecBenchOptions): Promise<CodecResult[]> {
  const results: CodecResult[] = [];
  for (const { name: stateName, make } of STATES) {
    for (const codec of [sessCodec('private'), sessCodec('signed'), ironCodec()]) {
      const stateBytes = JSON.stringify(make(1)).length;
      const sealed: string[] = [];
      for (let i = 0; i < DISTINCT_VALUES; i++) sealed.push(await codec.seal(make(i)));
      // Checks the codec round-trips before timing it.
      const opened = await codec.open(sealed[7] as string);
      if (opened !== 7) throw new Error(`${codec.library} did not open its own ${stateName} value (got ${String(opened)})`);
      const sealedChars = (sealed[1] as string).length;
      const row = (operation: string, timing: Timing): CodecResult => ({
        library: codec.library,
        operation,
        state: stateName,
        stateBytes,
        sealedChars,
        opsPerSecond: timing.opsPerSecond,
        microsPerOp: 1e6 / timing.opsPerSecond,
      });

      results.push(row('seal', await time(options.seconds, (i) => codec.seal(make(i)))));
      results.push(row('open, fresh value (cold)', await time(options.seconds, (i) => codec.open(sealed[i % DISTINCT_VALUES] as string))));
      const one = sealed[0] as string;
      results.push(row('open, same value again (warm)', await time(options.seconds, () => codec.open(one))));
      options.log(`codec: ${codec.library} ${stateName} done`);
    }
  }
  return results;
}

interface Timing {
  readonly opsPerSecond: number;
}

/** Runs `op` back to back for `seconds` (after a short warm-up) and returns its rate. */
async function time(seconds: number, op: (i: number) => Promise<unknown>): Promise<Timing> {
  let i = 0;
  const warmUntil = performance.now() + Math.min(300, seconds * 200);
  while (performance.now() < warmUntil) await op(i++);
  const started = performance.now();
  const until = started + seconds * 1000;
  let count = 0;
  while (performance.now() < until) {
    for (let batch = 0; batch < 32; batch++) await op(i++);
    count += 32;
  }
  return { opsPerSecond: count / ((performance.now() - started) / 1000) };
}
