import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A kit that passes everything proves nothing: run it (in a separate jest process) against
// node:http adapters that each have one classic bug, and check that it fails each of them on
// the tests that bug breaks, and passes the correct adapter entirely.
interface AssertionResult {
  ancestorTitles: string[];
  title: string;
  status: string;
}

let results: AssertionResult[];

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'sess-adapter-tests-'));
  try {
    const output = join(dir, 'results.json');
    const config = join(__dirname, 'fixtures', 'jest.config.cjs');
    const args = [require.resolve('jest/bin/jest'), '--config', config, '--ci', '--silent', '--json', '--outputFile', output];
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
    if (run.error) throw run.error;
    const report = JSON.parse(readFileSync(output, 'utf8')) as { testResults: { assertionResults: AssertionResult[] }[] };
    results = report.testResults.flatMap((file) => file.assertionResults);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

function failuresOf(adapter: string): string[] {
  const own = results.filter((result) => result.ancestorTitles.some((title) => title.startsWith(`${adapter} × `)));
  expect(own.length).toBeGreaterThan(20);
  return own.filter((result) => result.status !== 'passed').map((result) => result.title);
}

test('the correct node:http adapter passes every test', () => {
  expect(failuresOf('correct')).toEqual([]);
});

test('an adapter that commits after the response head is sent fails the commit and bodiless-response tests', () => {
  const failures = failuresOf('commits-after-the-head');
  expect(failures).toEqual(
    expect.arrayContaining([
      'the session is committed before the response head: a slow store write delays the head, whose cookie the store already backs',
      'HEAD of a route that writes: no body, the cookie goes out and the write is persisted',
      '204 No Content: the cookie goes out and the write is persisted',
      "a store failure while committing replaces the handler's response, its cookies included, with an opaque 500",
      'complex_workflow',
    ]),
  );
});

test('an adapter that answers a store failure with its message fails the opaque-error tests, and only those', () => {
  expect(failuresOf('leaks-store-errors').sort()).toEqual(
    ['errors_are_opaque', "a store failure while committing replaces the handler's response, its cookies included, with an opaque 500"].sort(),
  );
});
