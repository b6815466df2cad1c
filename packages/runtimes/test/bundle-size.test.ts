import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUNDLE_TARGETS, formatSizeTable, measureBundle, type BundleSize } from '../src/bundle-size.js';
import { SIZE_TABLE_SECTIONS, sizeTableOf, staleSizeTables, writeSizeTables } from '../src/size-tables.js';

// Each bundle is held to its budget (BUNDLE_TARGETS in src/bundle-size.ts: growth past it should
// be a decision, not an accident), and the size tables of the READMEs to what is measured now.
// `pnpm --filter @sess/runtimes size` prints the current sizes; `size --write` rewrites the tables.

// The only imports a bundle may leave to the runtime: the app's framework, and for the adapter
// row, the core it is measured without.
const ALLOWED_EXTERNAL = /^(hono(\/[a-z-]+)*|@sess\/core)$/;

const PACKAGE_DIR = path.join(__dirname, '..');
const REPO_DIR = path.join(PACKAGE_DIR, '../..');
const sizes = new Map<string, BundleSize>();

beforeAll(async () => {
  for (const size of await Promise.all(BUNDLE_TARGETS.map((target) => measureBundle(target, PACKAGE_DIR)))) {
    sizes.set(size.name, size);
  }
}, 30_000);

function measured(name: string): BundleSize {
  const size = sizes.get(name);
  if (!size) throw new Error(`${name} was not measured`);
  return size;
}

/** Every measured bundle, in BUNDLE_TARGETS order (the order of the READMEs' rows). */
function allMeasured(): BundleSize[] {
  return BUNDLE_TARGETS.map((target) => measured(target.name));
}

describe.each(BUNDLE_TARGETS)('$name', ({ name, gzipBudgetBytes }) => {
  test(`${name}: minified + gzipped within ${gzipBudgetBytes} bytes`, () => {
    const size = measured(name);
    // Sanity of the measurement itself: minifying and gzipping each shrink the bundle.
    expect(size.gzippedBytes).toBeGreaterThan(0);
    expect(size.gzippedBytes).toBeLessThan(size.minifiedBytes);
    expect(size.minifiedBytes).toBeLessThan(size.rawBytes);
    expect(size.gzippedBytes).toBeLessThanOrEqual(gzipBudgetBytes);
  });

  test(`${name}: imports no node: module and requires nothing`, () => {
    const size = measured(name);
    for (const imported of size.externalImports) expect(imported).toMatch(ALLOWED_EXTERNAL);
    expect(size.minifiedCode).not.toMatch(/\b(?:from|import|require)\s*\(?\s*["'`]node:/);
    expect(size.minifiedCode).not.toMatch(/\brequire\(/);
  });
});

test('@sess/core needs nothing from outside; @sess/hono only hono', () => {
  expect(measured('@sess/core').externalImports).toEqual([]);
  for (const imported of measured('@sess/hono').externalImports) expect(imported).toMatch(/^hono(\/|$)/);
});

test('the size tables of README.md and packages/runtimes/README.md show the sizes measured now', async () => {
  // On failure: the README's table differs from the measurement at the precision it shows (0.1 kB);
  // `fix` says how to regenerate it.
  expect(await staleSizeTables(allMeasured(), REPO_DIR)).toEqual([]);
});

test('`size --write` rewrites stale size tables and nothing else of the READMEs', async () => {
  // On copies of the READMEs, so the test holds whether or not the real ones are current.
  const copy = await mkdtemp(path.join(tmpdir(), 'sess-size-tables-'));
  try {
    const current = allMeasured();
    const files = SIZE_TABLE_SECTIONS.map((section) => section.file);
    for (const file of files) {
      await mkdir(path.dirname(path.join(copy, file)), { recursive: true });
      await copyFile(path.join(REPO_DIR, file), path.join(copy, file));
    }
    // Stale tables: the sizes of bundles a tenth as big.
    const shrunk = current.map((size) => ({ ...size, rawBytes: size.rawBytes / 10, minifiedBytes: size.minifiedBytes / 10, gzippedBytes: size.gzippedBytes / 10 }));
    await writeSizeTables(shrunk, copy);
    const staleTexts = await Promise.all(files.map((file) => readFile(path.join(copy, file), 'utf8')));
    expect((await staleSizeTables(current, copy)).map((stale) => stale.file)).toEqual(files);

    expect(await writeSizeTables(current, copy)).toEqual(files);
    expect(await staleSizeTables(current, copy)).toEqual([]);
    for (const [i, file] of files.entries()) {
      const written = await readFile(path.join(copy, file), 'utf8');
      expect(sizeTableOf(written, file)).toBe(formatSizeTable(current, SIZE_TABLE_SECTIONS[i]!.columns));
      // Only the table changed: the text around it is byte for byte what it was.
      const around = (text: string) => text.replace(sizeTableOf(text, file), '');
      expect(around(written)).toBe(around(staleTexts[i]!));
    }
    // Current tables are left alone.
    expect(await writeSizeTables(current, copy)).toEqual([]);
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
});

test('a README without the size-table markers is an error naming it, not a silent pass', () => {
  expect(() => sizeTableOf('# a README\n\nno table here\n', 'docs/README.md')).toThrow(/^docs\/README\.md: expected the size table between/);
});
