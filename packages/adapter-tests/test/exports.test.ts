import * as adapterTests from '@sess/adapter-tests';

// The public surface of @sess/adapter-tests: a change here is an API change, visible in review.
it('@sess/adapter-tests exports exactly these names', () => {
  expect(Object.keys(adapterTests).sort()).toEqual([
    'FailingLoadStore',
    'FailingWriteStore',
    'STORE_SECRET',
    'cookieHeader',
    'describeAdapter',
    'findCookie',
    'json',
    'listen',
    'pairOf',
    'parseSetCookie',
    'removesCookie',
    'send',
    'sessionCookie',
    'sessionErrorOf',
    'takeOversizeCookies',
    'text',
  ]);
});
