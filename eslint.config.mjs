import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeOnly = {
  patterns: [{ group: ['node:*'], message: 'This code must run on every runtime Hono runs on: use Web APIs only.' }],
  paths: ['crypto', 'buffer', 'fs', 'path', 'http', 'https', 'stream', 'util', 'os', 'events'].map((name) => ({
    name,
    message: 'This code must run on every runtime Hono runs on: use Web APIs only.',
  })),
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.turbo/**', 'test-output/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Tests, examples, benchmarks and tooling print on purpose.
    files: ['**/test/**', 'examples/**', 'bench/**', 'scripts/**', '**/*.cjs', '**/*.mjs'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', nodeOnly],
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'The core runs on Web runtimes: use Uint8Array.' },
        { name: 'process', message: 'The core runs on Web runtimes: take configuration as options.' },
        { name: 'require', message: 'The core is ESM and Web-standard.' },
      ],
    },
  },
  {
    // tRPC's rule: if our own adapters can't do it through the public entry, third-party adapters can't either.
    files: ['packages/express/src/**/*.ts', 'packages/koa/src/**/*.ts', 'packages/hono/src/**/*.ts', 'packages/fastify/src/**/*.ts', 'packages/redis/src/**/*.ts', 'packages/postgres/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@sess/core/*', '../../core/*', '**/core/src/*'],
              message: "Import only @sess/core's public entry: if our adapters can't do it, third-party adapters can't either.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/hono/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...nodeOnly,
          patterns: [
            ...nodeOnly.patterns,
            { group: ['@sess/core/*', '**/core/src/*'], message: "Import only @sess/core's public entry." },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'require'],
    },
  },
);
