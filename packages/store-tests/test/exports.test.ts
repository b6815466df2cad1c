import * as storeTests from '@sess/store-tests';

// The public surface of @sess/store-tests: a change here is an API change, visible in review.
it('@sess/store-tests exports exactly these names', () => {
  expect(Object.keys(storeTests).sort()).toEqual(['JSON_SAMPLES', 'canonical', 'describeSessionStore', 'stateOf']);
});
