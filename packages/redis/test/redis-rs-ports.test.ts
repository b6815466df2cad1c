import { generateSessionKey, LoadError } from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { createAdminClient, deleteKeysWithPrefix, keysWithPrefix, type AdminClient } from './helpers/redis-inspector.js';
import { sharedRedisUrl, uniquePrefix } from './helpers/redis-urls.js';

// Ports of the store-specific tests of actix-session's `src/storage/redis_rs.rs`, one `it` per
// original under the original's name, against real Redis (database 1 of the shared server).
// `test_session_workflow` (the acceptance suite) is ported by the conformance package. The keys
// live under a prefix of this run so that the tests can count what the store wrote; actix uses
// the session key itself, which `actix-interop.test.ts` covers.
const url = sharedRedisUrl();
const prefix = uniquePrefix('redis-rs');
let admin: AdminClient;
let store: RedisSessionStore;

beforeAll(async () => {
  admin = createAdminClient(url);
  await admin.connect();
  store = new RedisSessionStore({ url, keyPrefix: prefix });
});
afterEach(() => deleteKeysWithPrefix(admin, prefix));
afterAll(async () => {
  await store.close();
  admin.destroy();
});

describe("actix-session's redis_rs.rs tests", () => {
  it('loading_a_missing_session_returns_none', async () => {
    const key = generateSessionKey();
    expect(await store.load(key)).toBeNull();
    expect(await admin.exists(prefix + key)).toBe(0);
  });

  it('loading_an_invalid_session_state_returns_deserialization_error', async () => {
    const key = generateSessionKey();
    // As the original: a plain SET, without a TTL.
    expect(await admin.set(prefix + key, 'random-thing-which-is-not-json')).toBe('OK');
    const error = await store.load(key).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(LoadError);
    expect((error as LoadError).kind).toBe('deserialization');
    // Reading it changed nothing: the record is still there, as it was.
    expect(await admin.get(prefix + key)).toBe('random-thing-which-is-not-json');
  });

  // Departs from the original on purpose (DESIGN.md, "deliberately better", item 9). actix's
  // `update` of a state that is gone (`SET XX` answers nil) saves it again under a new key and
  // returns that key (the original asserts `Ok(new_key)` with `new_key != original`): a request
  // that was in flight while the user logged out in another tab would log them back in. Here
  // `update` returns `null` and writes nothing; the lifecycle then drops the changes and clears
  // the cookie. Checked for the original's case (a key that never existed) and for a state that
  // really expired in Redis.
  it('updating_of_an_expired_state_is_handled_gracefully', async () => {
    const neverSaved = generateSessionKey();
    expect(await store.update(neverSaved, {}, 1)).toBeNull();
    expect(await keysWithPrefix(admin, prefix)).toEqual([]);

    const expired = await store.save({ user: 'ferris' }, 60);
    // Expire it now rather than waiting a second: Redis treats it exactly like a TTL run out.
    expect(await admin.pExpire(prefix + expired, 1)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.load(expired)).toBeNull();
    expect(await store.update(expired, { user: 'ferris', counter: 1 }, 60)).toBeNull();
    expect(await keysWithPrefix(admin, prefix)).toEqual([]);
  });
});
