import * as postgres from '@sess/postgres';

// The public surface of @sess/postgres: a change here is an API change, visible in review.
it('@sess/postgres exports exactly these names', () => {
  expect(Object.keys(postgres).sort()).toEqual([
    'CLEANUP_MAX_BATCHES',
    'DEFAULT_CLEANUP_BATCH_SIZE',
    'DEFAULT_CLEANUP_INTERVAL_SECONDS',
    'DEFAULT_MAX_SAVE_ATTEMPTS',
    'DEFAULT_QUERY_TIMEOUT_MS',
    'DEFAULT_TABLE_NAME',
    'PostgresSessionStore',
    'PostgresTimeoutError',
  ]);
});
