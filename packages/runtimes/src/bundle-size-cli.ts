// `pnpm --filter @sess/runtimes size`: bundles @sess/core and @sess/hono with esbuild and prints
// their raw, minified and minified + gzipped sizes as a Markdown table for the READMEs.
import { fileURLToPath } from 'node:url';
import { BUNDLE_TARGETS, formatSizeTable, measureBundle } from './bundle-size.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const sizes = await Promise.all(BUNDLE_TARGETS.map((target) => measureBundle(target, packageDir)));
process.stdout.write(`${formatSizeTable(sizes)}\n`);
for (const size of sizes) {
  process.stdout.write(
    `${size.name}: ${size.rawBytes} B raw, ${size.minifiedBytes} B minified, ${size.gzippedBytes} B minified + gzip; ` +
      `imports left outside: ${size.externalImports.join(', ') || 'none'}\n`,
  );
}
