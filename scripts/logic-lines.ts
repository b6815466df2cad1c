import { readFileSync } from 'node:fs';

/**
 * Counts the logic lines of TypeScript source files, the measure the adapter size budgets use
 * (issue 12: "Logic lines (no imports, types, comments)"): every line but blank lines, comments
 * (`//`, and `/* … *\/` blocks, TSDoc included), `import`/`export … from` statements, type-only
 * declarations (`interface`, `type`, `declare` blocks, with their bodies) and lines of closing
 * punctuation only (`}`, `});`, `],`…).
 *
 * @example
 * ```ts
 * expect(logicLines(['src/session-middleware.ts'])).toBeLessThanOrEqual(40)
 * ```
 */
export function logicLines(files: readonly string[]): number {
  return files.reduce((total, file) => total + countFile(readFileSync(file, 'utf8')), 0);
}

function countFile(text: string): number {
  let count = 0;
  let inComment = false;
  let skipDepth = 0;
  let inImport = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (inComment) {
      inComment = !line.includes('*/');
      continue;
    }
    if (line.startsWith('/*')) {
      inComment = !line.includes('*/');
      continue;
    }
    if (line === '' || line.startsWith('//')) continue;
    if (inImport) {
      inImport = !/\bfrom\s+['"]/.test(line);
      continue;
    }
    // `import …` and re-exports (`export { … } from`, `export * from`), possibly over several lines.
    if (/^import\b/.test(line) || /^export\s+(type\s+)?[{*]/.test(line)) {
      inImport = !/\bfrom\s+['"]|;$/.test(line);
      continue;
    }
    if (skipDepth > 0) {
      skipDepth += braces(line);
      continue;
    }
    if (/^(export\s+)?(declare|interface|type)\b/.test(line)) {
      skipDepth = braces(line);
      continue;
    }
    if (/^[\]})]+[;,)]*$/.test(line)) continue;
    count++;
  }
  return count;
}

function braces(line: string): number {
  return (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
}
