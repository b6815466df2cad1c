import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@sess/core';
import type { Context } from 'hono';
import ts from 'typescript';
import * as adapter from '../src/index.js';

// The public surface, listed so that any change shows up in review (h3's package test).
test('the export names of @sess/hono', () => {
  expect(Object.keys(adapter).sort()).toEqual([
    'CookieSessionStore',
    'Key',
    'LoadError',
    'MemoryOwnerRevocations',
    'MemorySessionStore',
    'SaveError',
    'Session',
    'SessionConfigError',
    'SessionError',
    'SessionGetError',
    'SessionInsertError',
    'SessionStatus',
    'SessionUpdateError',
    'UpdateError',
    'browserSession',
    'isStoreFailure',
    'persistentSession',
    'sessionMiddleware',
  ]);
});

test('re-exports are @sess/core’s own values, not wrappers', () => {
  for (const name of Object.keys(adapter)) {
    if (name !== 'sessionMiddleware') expect(adapter[name as keyof typeof adapter]).toBe(core[name as keyof typeof core]);
  }
});

test("c.get('session') is typed as a Session through SessionVariables", () => {
  type IsAny<T> = 0 extends 1 & T ? true : false;
  const _read = (c: Context<{ Variables: adapter.SessionVariables }>) => c.get('session');
  type Got = ReturnType<typeof _read>;
  const notAny: IsAny<Got> = false;
  const typed: Got extends adapter.Session ? true : false = true;
  expect([notAny, typed]).toEqual([false, true]);
});

// It must run wherever Hono runs (Bun, Deno, Workers): `tsconfig.json` compiles src without Node
// types (pnpm typecheck) and ESLint forbids Node modules and globals there; this is the last net.
test('the adapter sources import nothing from Node', () => {
  const src = join(__dirname, '..', 'src');
  const files = readdirSync(src).filter((file) => file.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const text = readFileSync(join(src, file), 'utf8');
    const imports = ts.preProcessFile(text, true, true).importedFiles.map((ref) => ref.fileName);
    const foreign = imports.filter((name) => !name.startsWith('./') && !['@sess/core', 'hono', 'hono/http-exception'].includes(name));
    expect(foreign).toEqual([]);
  }
});
