import { CookieSessionStore } from '@sess/core';
import { describeSessionStore } from '@sess/store-tests';

// The state travels in the cookie: nothing expires or can be revoked server-side, and the
// "key" is the serialised state.
describeSessionStore('CookieSessionStore', () => ({ store: new CookieSessionStore() }), {
  expires: false,
  invalidates: false,
  keysAreState: true,
  loadSync: true,
});
