import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A conformance suite that passes everything proves nothing: run it (in a separate jest process)
// against stores that each have one classic bug, and check that it fails each store on exactly
// the tests that bug breaks, and passes a correct store entirely.
interface AssertionResult {
  ancestorTitles: string[];
  title: string;
  status: string;
}

let results: AssertionResult[];

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'sess-store-tests-'));
  try {
    const output = join(dir, 'results.json');
    const run = spawnSync(
      process.execPath,
      [
        require.resolve('jest/bin/jest'),
        '--config',
        join(__dirname, 'fixtures', 'jest.config.cjs'),
        '--ci',
        '--silent',
        '--json',
        '--outputFile',
        output,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (run.error) throw run.error;
    const report = JSON.parse(readFileSync(output, 'utf8')) as { testResults: { assertionResults: AssertionResult[] }[] };
    results = report.testResults.flatMap((file) => file.assertionResults);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

function failuresOf(store: string): string[] {
  const own = results.filter((result) => result.ancestorTitles[0]?.startsWith(`${store}: `));
  expect(own.length).toBeGreaterThan(50);
  // Skipped tests (a capability the store does not declare) are reported, not failed.
  return own.filter((result) => result.status === 'failed').map((result) => result.title).sort();
}

const MALFORMED = [
  'the empty string',
  'a space',
  'a glob pattern',
  'a character class',
  'a newline',
  'a NUL character',
  'non-ASCII text',
  'a cluster hash tag',
  'a path',
  'SQL',
  '4064 bytes',
].map((label) => `handles a key made of ${label} without touching other sessions`);

const UNSERIALIZABLE = [
  'a bigint',
  'a cycle',
  'an undefined value',
  'a function',
  'a symbol',
  'NaN',
  'Infinity',
  '-Infinity',
  'undefined inside an array',
  'NaN deep inside an object',
  'a sparse array',
];
// A store that rebuilds states from its own JSON drops the metadata of @sess/core.
const META_LOST = ['a state with metadata survives save and load byte for byte', 'survives update, and an update without metadata removes it'];
const refusals = (labels: readonly string[]): string[] =>
  labels.flatMap((label) => [
    `save refuses a state holding ${label} with SaveError(serialization), writing nothing`,
    `update refuses a state holding ${label} with UpdateError(serialization), keeping the stored state`,
  ]);

it.each<[string, string[]]>([
  ['Correct', []],
  [
    'Resurrecting',
    [
      'returns null for a key that was never saved, and creates no record',
      'returns null after delete, and does not bring the state back (no resurrection)',
      'returns null after the state expired, and does not bring it back',
      ...MALFORMED,
    ],
  ],
  ['Aliasing', ['stores a copy: changing the saved or the loaded objects afterwards changes nothing stored']],
  ['ProtoAssigning', ['keeps __proto__, constructor and prototype keys as plain data, polluting nothing']],
  [
    'Immortal',
    [
      'returns null after the state expired, and does not bring it back',
      'shortens the TTL',
      'forgets a state once its TTL has passed',
      ...['0', '-1', '1.5', 'NaN', 'Infinity'].map((ttl) => `refuses a TTL of ${ttl} with the method’s error, writing nothing`),
    ],
  ],
  ['StateKeyed', ['gives equal states saved concurrently distinct keys', 'does not put the state in the key']],
  ['Unwrapped', refusals(UNSERIALIZABLE)],
  // JSON.stringify itself throws on bigints and cycles; everything else it silently loses.
  // It also loses the metadata core attaches to a state (JSON.stringify skips its symbol key).
  ['Stringifying', [...refusals(UNSERIALIZABLE.filter((label) => label !== 'a bigint' && label !== 'a cycle')), ...META_LOST]],
  [
    'Latin1',
    [
      'round-trips a state holding every kind of JSON value',
      'round-trips non-ASCII text (accents, CJK, emoji)',
      'round-trips a nested object',
      ...META_LOST,
    ],
  ],
  [
    'Swallowing',
    [
      'load fails with LoadError(other), never null nor deserialization',
      'save fails with SaveError(other)',
      'update fails with UpdateError(other), never null',
      'updateTtl and delete fail',
      'keeps failing within the bound on later calls',
    ],
  ],
])('the suite fails the %s store exactly where it is broken', (store, expected) => {
  expect(failuresOf(store)).toEqual([...expected].sort());
});
