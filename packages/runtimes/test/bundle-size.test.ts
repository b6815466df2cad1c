import path from 'node:path';
import { BUNDLE_TARGETS, measureBundle, type BundleSize } from '../src/bundle-size.js';

// The size budget of @sess/core and @sess/hono, minified + gzipped (bytes), about 20% above the
// sizes measured when the budget was set (9.8 kB, 9.8 kB, 0.6 kB, 9.2 kB): growth past it should
// be a decision, not an accident. `pnpm --filter @sess/runtimes size` prints the current sizes.
const GZIP_BUDGET_BYTES: Readonly<Record<string, number>> = {
  '@sess/core': 12_000,
  '@sess/hono': 12_000,
  '@sess/hono (adapter only)': 700,
  '@sess/hono (typical app)': 11_000,
};

// The only imports a bundle may leave to the runtime: the app's framework, and for the adapter
// row, the core it is measured without.
const ALLOWED_EXTERNAL = /^(hono(\/[a-z-]+)*|@sess\/core)$/;

const PACKAGE_DIR = path.join(__dirname, '..');
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

test('every measured bundle has a budget', () => {
  expect(Object.keys(GZIP_BUDGET_BYTES).sort()).toEqual(BUNDLE_TARGETS.map((target) => target.name).sort());
});

describe.each(BUNDLE_TARGETS.map((target) => target.name))('%s', (name) => {
  test(`${name}: minified + gzipped within ${GZIP_BUDGET_BYTES[name]} bytes`, () => {
    const size = measured(name);
    // Sanity of the measurement itself: minifying and gzipping each shrink the bundle.
    expect(size.gzippedBytes).toBeGreaterThan(0);
    expect(size.gzippedBytes).toBeLessThan(size.minifiedBytes);
    expect(size.minifiedBytes).toBeLessThan(size.rawBytes);
    expect(size.gzippedBytes).toBeLessThanOrEqual(GZIP_BUDGET_BYTES[name]!);
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
