// `pnpm --filter @sess/runtimes size`: bundles @sess/core and @sess/hono with esbuild and prints
// their raw, minified and minified + gzipped sizes as a Markdown table, and the exact bytes.
// `size --write` also rewrites the size tables of the READMEs (src/size-tables.ts), which the
// bundle-size test holds to the sizes measured now.
import { fileURLToPath } from 'node:url';
import { BUNDLE_TARGETS, formatSizeTable, measureBundle } from './bundle-size.js';
import { writeSizeTables } from './size-tables.js';

const args = process.argv.slice(2);
if (args.some((arg) => arg !== '--write')) {
  process.stderr.write(`usage: size [--write]   (unknown: ${args.filter((arg) => arg !== '--write').join(' ')})\n`);
  process.exit(2);
}

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const sizes = await Promise.all(BUNDLE_TARGETS.map((target) => measureBundle(target, packageDir)));
process.stdout.write(`${formatSizeTable(sizes)}\n`);
for (const size of sizes) {
  process.stdout.write(
    `${size.name}: ${size.rawBytes} B raw, ${size.minifiedBytes} B minified, ${size.gzippedBytes} B minified + gzip; ` +
      `imports left outside: ${size.externalImports.join(', ') || 'none'}\n`,
  );
}
if (args.includes('--write')) {
  const changed = await writeSizeTables(sizes, fileURLToPath(new URL('../../..', import.meta.url)));
  process.stdout.write(changed.length ? `rewrote the size tables of ${changed.join(', ')}\n` : 'the size tables of the READMEs are current\n');
}
