import * as redis from '@sess/redis';

// The public surface of @sess/redis: a change here is an API change, visible in review.
it('@sess/redis exports exactly these names', () => {
  expect(Object.keys(redis).sort()).toEqual([
    'COMMAND_QUEUE_MAX_LENGTH',
    'DEFAULT_COMMAND_TIMEOUT_MS',
    'DEFAULT_CONNECT_TIMEOUT_MS',
    'DEFAULT_MAX_SAVE_ATTEMPTS',
    'RECONNECT_MAX_DELAY_MS',
    'RedisSessionStore',
    'RedisTimeoutError',
  ]);
});
