import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

// The core must run on Bun, Deno and Workers: its sources compile with Web types only, and a
// Node-only API does not compile there at all (DESIGN.md; STYLE.md "make a Node leak impossible").

const root = resolve(__dirname, '..');

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  return { ...parsed.options, noEmit: true };
}

function diagnostics(files: string[], extra?: { name: string; text: string }): readonly ts.Diagnostic[] {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  if (extra) {
    const readFile = host.readFile.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (name) => (name === extra.name ? extra.text : readFile(name));
    host.fileExists = ((exists) => (name: string) => name === extra.name || exists(name))(host.fileExists.bind(host));
    host.getSourceFile = (name, language, ...rest) =>
      name === extra.name ? ts.createSourceFile(name, extra.text, language) : getSourceFile(name, language, ...rest);
  }
  const program = ts.createProgram(extra ? [...files, extra.name] : files, options, host);
  return ts.getPreEmitDiagnostics(program);
}

const sources = readdirSync(join(root, 'src'), { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(root, 'src', file));

test('packages/core/tsconfig.json has no Node types', () => {
  const options = compilerOptions();
  expect(options.types).toEqual([]);
  expect(options.lib?.some((lib) => /node/i.test(lib))).toBe(false);
});

test('the core sources compile with Web types only', () => {
  const errors = diagnostics(sources).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(errors).toEqual([]);
}, 60_000);

test.each([
  ['Buffer', 'export const b = Buffer.from("x");', /Cannot find name 'Buffer'/],
  ['process', 'export const env = process.env.X;', /Cannot find name 'process'/],
  ['node:crypto', 'import { randomBytes } from "node:crypto"; export const r = randomBytes(1);', /Cannot find module 'node:crypto'/],
  ['require', 'export const fs = require("fs");', /Cannot find name 'require'/],
])('%s does not compile in the core', (_name, text, message) => {
  const name = join(root, 'src', '__leak__.ts');
  const errors = diagnostics([join(root, 'src', 'index.ts')], { name, text })
    .filter((d) => d.file?.fileName === name)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(errors.join('\n')).toMatch(message);
}, 60_000);

// The one file allowed to reach for node:crypto, and only by feature detection at run time.
const NODE_CRYPTO_LOOKUP = join(root, 'src', 'node-crypto.ts');

test('no source file names a Node-only API', () => {
  for (const file of sources.filter((f) => f !== NODE_CRYPTO_LOOKUP)) {
    const text = readFileSync(file, 'utf8');
    expect({ file, leak: /['"]node:[a-z]|require\(|\bBuffer\.|\bprocess\??\.|getBuiltinModule/.exec(text)?.[0] }).toEqual({
      file,
      leak: undefined,
    });
  }
});

test('node:crypto is reached in one file, through globalThis.process?.getBuiltinModule, never imported', () => {
  const code = readFileSync(NODE_CRYPTO_LOOKUP, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  expect(code).not.toMatch(/\bimport\b|\brequire\(|\bBuffer\b/);
  expect(code).toMatch(/\(globalThis as \w+\)\.process/);
  expect(code).toMatch(/getBuiltinModule\('node:crypto'\)/);
  // A bare `process` would not compile with Web types (see above); only the globalThis lookup does.
  expect(code.match(/\bprocess\b/g)).toHaveLength(code.match(/\.process\b|\bprocess\?:/g)?.length ?? 0);
});
