import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The README's walkthrough shows real files (`<!-- file: path -->` before a ```ts block): the store
// the suite runs in test/map-session-store.test.ts and that test itself. A README example that the
// suite would fail must be impossible, so every such block must be its file, character for character.
const packageDir = join(__dirname, '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
const MARKED_BLOCK = /<!-- file: (?<path>[^ ]+) -->\n```ts\n(?<code>[\s\S]*?)^```$/gm;

const blocks = [...readme.matchAll(MARKED_BLOCK)].map((match) => [match.groups?.path, match.groups?.code] as [string, string]);

it('the README shows the walkthrough store and its test as files', () => {
  expect(blocks.map(([path]) => path)).toEqual(['examples/map-session-store.ts', 'test/map-session-store.test.ts']);
  // Every marker is followed by a block the pattern found.
  expect(readme.split('<!-- file: ').length - 1).toBe(blocks.length);
});

it.each(blocks)('the README block of %s is exactly that file', (path, code) => {
  expect(code).toBe(readFileSync(join(packageDir, path), 'utf8'));
});
