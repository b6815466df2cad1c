import {
  CookieSessionStore,
  generateSessionKey,
  LoadError,
  SaveError,
  SessionConfigError,
  UpdateError,
  type SessionState,
} from '../src/index.js';

const state = (object: Record<string, unknown>) => Object.assign(Object.create(null), object) as SessionState;

// Ports of actix-session's src/storage/cookie.rs unit tests (reference §10.2).
// (`test_session_workflow`, the acceptance suite, runs over HTTP in packages/conformance.)
describe('actix-session src/storage/cookie.rs', () => {
  test('loading_a_random_session_key_returns_deserialization_error', async () => {
    const store = new CookieSessionStore();
    const error = await store.load(generateSessionKey()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadError);
    expect((error as LoadError).kind).toBe('deserialization');
  });

  test('saving_state_is_versioned_and_does_not_double_serialize_strings', async () => {
    const store = new CookieSessionStore();
    const key = await store.save(state({ k: 'value', n: 1 }), 60);
    expect(key).not.toContain('\\"value\\"');
    const parsed = JSON.parse(key) as { v: number; state: { k: string; n: number } };
    expect(parsed.v).toBe(1);
    expect(parsed.state.k).toBe('value');
    expect(parsed.state.n).toBe(1);
  });

  test('legacy_state_format_is_migrated_on_load', async () => {
    const store = new CookieSessionStore();
    const loaded = await store.load('{"k":"\\"value\\"","n":"1","obj":"{\\"a\\": 1}"}');
    expect(loaded).toEqual(state({ k: 'value', n: 1, obj: { a: 1 } }));
  });
});

describe('CookieSessionStore', () => {
  test('update returns the new state as the new key; it never returns null', async () => {
    const store = new CookieSessionStore();
    const key = await store.save(state({ n: 1 }), 60);
    const next = await store.update(key, state({ n: 2 }), 60);
    expect(next).toBe('{"v":1,"state":{"n":2}}');
  });

  test('a state over 4064 bytes is a SaveError on save and an UpdateError on update', async () => {
    const store = new CookieSessionStore();
    const big = state({ blob: 'x'.repeat(4100) });
    const saved = await store.save(big, 60).catch((e: unknown) => e);
    expect(saved).toBeInstanceOf(SaveError);
    expect((saved as SaveError).message).toMatch(/4064/);
    const updated = await store.update('{}', big, 60).catch((e: unknown) => e);
    expect(updated).toBeInstanceOf(UpdateError);
    expect((updated as UpdateError).kind).toBe('other');
  });

  test('a state JSON cannot represent is a serialization error on save and on update', async () => {
    const store = new CookieSessionStore();
    const bad = state({ n: 1n });
    const saved = (await store.save(bad, 60).catch((e: unknown) => e)) as SaveError;
    expect(saved).toBeInstanceOf(SaveError);
    expect(saved.kind).toBe('serialization');
    const updated = (await store.update('{}', bad, 60).catch((e: unknown) => e)) as UpdateError;
    expect(updated).toBeInstanceOf(UpdateError);
    expect(updated.kind).toBe('serialization');
  });

  test('the load error does not quote the cookie content in its message', async () => {
    const error = (await new CookieSessionStore().load('secret-looking-text').catch((e: unknown) => e)) as LoadError;
    expect(error.message).not.toContain('secret-looking-text');
    expect(error.cause).toBeInstanceOf(Error);
  });

  test('takes no options: one passed anyway is a SessionConfigError naming it, not silently ignored', () => {
    const construct = CookieSessionStore as unknown as new (options?: unknown) => CookieSessionStore;
    const thrown = (options: unknown): SessionConfigError => {
      let error: unknown;
      try {
        new construct(options);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SessionConfigError);
      return error as SessionConfigError;
    };
    expect(thrown({ maxAge: 3600 }).option).toBe('maxAge');
    expect(thrown(null).option).toBe('options');
    expect(thrown('secret').option).toBe('options');
    expect(new construct(undefined)).toBeInstanceOf(CookieSessionStore);
    expect(new construct({})).toBeInstanceOf(CookieSessionStore);
  });

  test('updateTtl and delete are no-ops that resolve', async () => {
    const store = new CookieSessionStore();
    await expect(store.updateTtl('{}', 60)).resolves.toBeUndefined();
    await expect(store.delete('{}')).resolves.toBeUndefined();
  });
});
