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
);
