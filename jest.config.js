// One jest run for the whole repository: every package is a project (see jest.base.cjs).
/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.cjs', '<rootDir>/examples/*/jest.config.cjs', '<rootDir>/bench/jest.config.cjs'],
};
