// Shared jest settings: each package's jest.config.cjs spreads this with its own displayName.
// Tests import workspace packages from source (`@sess/x` → packages/x/src), so no build is needed.
const path = require('node:path');

const root = __dirname;

/** @param {string} dir the package folder @param {string} displayName @returns {import('jest').Config} */
module.exports = function jestProject(dir, displayName) {
  return {
    displayName,
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.(t|j)sx?$': [
        '@swc/jest',
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleNameMapper: {
      '^@sess/([a-z-]+)$': path.join(root, 'packages/$1/src/index.ts'),
      // Sources use the `.js` extension ESM requires; jest resolves the `.ts` file behind it.
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
  };
};
