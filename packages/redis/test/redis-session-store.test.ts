import { SaveError, serializeState, SessionConfigError, SessionError, UpdateError, LoadError } from '@sess/core';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_SAVE_ATTEMPTS,
  RedisSessionStore,
  type RedisSessionStoreOptions,
} from '@sess/redis';
import { createClient, createCluster, RESP_TYPES } from 'redis';
import { createAdminClient, deleteKeysWithPrefix, keysWithPrefix, type AdminClient } from './helpers/redis-inspector.js';
import { sharedRedisUrl, uniquePrefix } from './helpers/redis-urls.js';

// Behaviour specific to the Redis store, checked against Redis itself (database 1 of the shared
// server; every key under a prefix unique to this run).
const url = sharedRedisUrl();
const prefix = uniquePrefix('store');
let admin: AdminClient;
const stores: RedisSessionStore[] = [];

/** A store closed after each test. */
function open(options: RedisSessionStoreOptions): RedisSessionStore {
  const store = new RedisSessionStore(options);
  stores.push(store);
  return store;
}

beforeAll(async () => {
  admin = createAdminClient(url);
  await admin.connect();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await deleteKeysWithPrefix(admin, prefix);
});
afterAll(() => admin.destroy());

function configError(make: () => unknown): SessionConfigError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(SessionConfigError);
    return error as SessionConfigError;
  }
  throw new Error('expected a SessionConfigError');
}

describe('RedisSessionStore options', () => {
  it.each<[string, string, unknown]>([
    ['client', 'neither client nor url', {}],
    ['client', 'a client that is not node-redis', { client: { get: () => undefined } }],
    ['url', 'both client and url', { client: {}, url }],
    ['url', 'a url that is not a string', { url: 42 }],
    ['url', 'a url that does not parse', { url: 'not a url' }],
    ['url', 'an http: url', { url: 'http://127.0.0.1:6379' }],
    ['url', 'a url whose path is not a database', { url: 'redis://127.0.0.1:6379/one' }],
    ['commandTimeout', 'a misspelt option', { url, commandTimeout: 100 }],
    ['cacheKeygen', 'a cacheKeygen that is not a function', { url, cacheKeygen: 'session:' }],
    ['keyPrefix', 'a keyPrefix that is not a string', { url, keyPrefix: 1 }],
    ['commandTimeoutMs', 'a zero commandTimeoutMs', { url, commandTimeoutMs: 0 }],
    ['commandTimeoutMs', 'a fractional commandTimeoutMs', { url, commandTimeoutMs: 1.5 }],
    ['commandTimeoutMs', 'a commandTimeoutMs given as a string', { url, commandTimeoutMs: '2000' }],
    ['commandTimeoutMs', 'a commandTimeoutMs beyond what timers support', { url, commandTimeoutMs: 2 ** 31 }],
    ['connectTimeoutMs', 'a negative connectTimeoutMs', { url, connectTimeoutMs: -1 }],
    ['maxSaveAttempts', 'zero maxSaveAttempts', { url, maxSaveAttempts: 0 }],
    ['maxSaveAttempts', 'over 100 maxSaveAttempts', { url, maxSaveAttempts: 101 }],
    ['onError', 'an onError that is not a function', { url, onError: 'console' }],
    ['sentinel', 'both url and sentinel', { url, sentinel: { name: 'sessions', sentinels: [{ host: '127.0.0.1', port: 26379 }] } }],
    ['sentinel', 'a sentinel configuration without a name', { sentinel: { sentinels: [{ host: '127.0.0.1', port: 26379 }] } }],
    ['sentinel', 'a sentinel configuration without sentinels', { sentinel: { name: 'sessions', sentinels: [] } }],
    ['sentinel', 'a sentinel address without a port', { sentinel: { name: 'sessions', sentinels: [{ host: '127.0.0.1' }] } }],
    ['client', 'a cluster client that reads from replicas', { client: createCluster({ rootNodes: [{ url }], useReplicas: true }) }],
  ])('rejects %s at construction, naming it: %s', (option, _case, options) => {
    const error = configError(() => new RedisSessionStore(options as RedisSessionStoreOptions));
    expect(error.option).toBe(option);
    expect(error.message.startsWith(`${option}: `)).toBe(true);
    expect(error.code).toBe('INVALID_OPTIONS');
  });

  it('rejects the options that only apply to a client it owns when given a client', () => {
    expect(configError(() => new RedisSessionStore({ client: admin, connectTimeoutMs: 100 })).option).toBe('connectTimeoutMs');
    expect(configError(() => new RedisSessionStore({ client: admin, onError: () => undefined })).option).toBe('onError');
  });

  it('never shows the password of a rejected url', () => {
    const error = configError(() => new RedisSessionStore({ url: 'http://user:hunter2@example.com' }));
    expect(error.message).not.toContain('hunter2');
  });

  it('never mutates the options it is given', () => {
    const cacheKeygen = (key: string): string => `s/${key}`;
    const options = Object.freeze({ url, keyPrefix: prefix, cacheKeygen, commandTimeoutMs: 1000, maxSaveAttempts: 2 });
    const copy = { ...options };
    open(options);
    expect(options).toEqual(copy);
    const withClient = Object.freeze({ client: admin, keyPrefix: prefix });
    open(withClient);
    expect(Object.keys(withClient)).toEqual(['client', 'keyPrefix']);
  });

  it('has finite defaults', () => {
    expect(DEFAULT_COMMAND_TIMEOUT_MS).toBe(2000);
    expect(DEFAULT_CONNECT_TIMEOUT_MS).toBe(5000);
    expect(DEFAULT_MAX_SAVE_ATTEMPTS).toBe(3);
  });
});

describe('RedisSessionStore keys and records', () => {
  it('stores under keyPrefix + cacheKeygen(sessionKey) the exact serialised state, with its TTL', async () => {
    const seen: string[] = [];
    const store = open({
      url,
      keyPrefix: prefix,
      cacheKeygen: (key) => {
        seen.push(key);
        return `session/${key}`;
      },
    });
    const state = { user: 'ferris', counter: 1 };
    const key = await store.save(state, 120);
    expect(seen).toEqual([key]);
    expect(await admin.get(`${prefix}session/${key}`)).toBe(serializeState(state));
    expect(await admin.ttl(`${prefix}session/${key}`)).toBeGreaterThan(118);
    expect(await keysWithPrefix(admin, prefix)).toEqual([`${prefix}session/${key}`]);
    expect(await store.load(key)).toEqual(state);
    expect(await store.update(key, { counter: 2 }, 300)).toBe(key);
    expect(await admin.get(`${prefix}session/${key}`)).toBe('{"v":1,"state":{"counter":2}}');
    expect(await admin.ttl(`${prefix}session/${key}`)).toBeGreaterThan(298);
    await store.updateTtl(key, 30);
    expect(await admin.ttl(`${prefix}session/${key}`)).toBeLessThanOrEqual(30);
    await store.delete(key);
    expect(await admin.exists(`${prefix}session/${key}`)).toBe(0);
  });

  it('retries SET NX with a fresh key when the first one is taken, never overwriting it', async () => {
    await admin.set(`${prefix}taken`, 'precious', { expiration: { type: 'EX', value: 60 } });
    const tried: string[] = [];
    const store = open({
      url,
      keyPrefix: prefix,
      cacheKeygen: (key) => {
        tried.push(key);
        return tried.length === 1 ? 'taken' : key;
      },
    });
    const key = await store.save({ user: 'ferris' }, 60);
    expect(tried).toHaveLength(2);
    expect(tried[1]).toBe(key);
    expect(tried[0]).not.toBe(key);
    expect(await admin.get(`${prefix}taken`)).toBe('precious');
    expect(await admin.get(`${prefix}${key}`)).toBe('{"v":1,"state":{"user":"ferris"}}');
  });

  it('gives up with a clear SaveError after maxSaveAttempts refused keys', async () => {
    await admin.set(`${prefix}taken`, 'precious', { expiration: { type: 'EX', value: 60 } });
    let attempts = 0;
    const store = open({
      url,
      keyPrefix: prefix,
      maxSaveAttempts: 4,
      cacheKeygen: () => {
        attempts++;
        return 'taken';
      },
    });
    const error = await store.save({ user: 'mallory' }, 60).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SaveError);
    expect((error as SaveError).kind).toBe('other');
    expect((error as SaveError).message).toMatch(/4 freshly generated session keys.*cacheKeygen/);
    expect(attempts).toBe(4);
    expect(await admin.get(`${prefix}taken`)).toBe('precious');
    expect(await keysWithPrefix(admin, prefix)).toEqual([`${prefix}taken`]);
  });

  it('refuses a state it cannot serialise with a serialization error, writing nothing', async () => {
    const store = open({ url, keyPrefix: prefix });
    const key = await store.save({ user: 'ferris' }, 60);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const bad of [{ big: 10n }, cycle, null, [1, 2]] as unknown[]) {
      const saved = await store.save(bad as never, 60).catch((reason: unknown) => reason);
      expect(saved).toBeInstanceOf(SaveError);
      expect((saved as SaveError).kind).toBe('serialization');
      const updated = await store.update(key, bad as never, 60).catch((reason: unknown) => reason);
      expect(updated).toBeInstanceOf(UpdateError);
      expect((updated as UpdateError).kind).toBe('serialization');
    }
    expect(await keysWithPrefix(admin, prefix)).toEqual([`${prefix}${key}`]);
    expect(await store.load(key)).toEqual({ user: 'ferris' });
  });

  it('reports a Redis error reply as LoadError(other) with the reply as cause', async () => {
    const store = open({ url, keyPrefix: prefix });
    await admin.hSet(`${prefix}hash`, 'field', 'value');
    const error = await store.load('hash').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(LoadError);
    expect((error as LoadError).kind).toBe('other');
    expect(String(((error as LoadError).cause as Error).message)).toMatch(/^WRONGTYPE/);
  });

  it('fails updateTtl and delete with the lifecycle codes', async () => {
    const store = open({ url, keyPrefix: prefix });
    await expect(store.updateTtl('any', 0)).rejects.toMatchObject({ code: 'STORE_UPDATE_TTL' });
    await store.close();
    const ttl = await store.updateTtl('any', 60).catch((reason: unknown) => reason);
    expect(ttl).toBeInstanceOf(SessionError);
    expect((ttl as SessionError).code).toBe('STORE_UPDATE_TTL');
    const del = await store.delete('any').catch((reason: unknown) => reason);
    expect((del as SessionError).code).toBe('STORE_DELETE');
  });

  it('loads a record that is not UTF-8 as a deserialization error, never as a state with U+FFFD in it', async () => {
    // Valid JSON around two bytes that are not UTF-8: a lenient decoder would make it a state.
    const record = Buffer.concat([Buffer.from('{"v":1,"state":{"user":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]);
    await admin.set(`${prefix}latin`, record, { expiration: { type: 'EX', value: 60 } });
    const strings = createClient({ url });
    const buffers = createClient({ url, commandOptions: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } });
    for (const client of [strings, buffers]) {
      client.on('error', () => undefined);
      await client.connect();
    }
    try {
      for (const store of [open({ url, keyPrefix: prefix }), open({ client: strings, keyPrefix: prefix }), open({ client: buffers, keyPrefix: prefix })]) {
        const error = await store.load('latin').catch((reason: unknown) => reason);
        expect(error).toBeInstanceOf(LoadError);
        expect((error as LoadError).kind).toBe('deserialization');
      }
    } finally {
      strings.destroy();
      buffers.destroy();
    }
    // Untouched: reading it wrote nothing.
    expect(await admin.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(`${prefix}latin`)).toEqual(record);
  });

  it('works with a client whose replies are mapped to Buffers, and with RESP2', async () => {
    const buffers = createClient({ url, commandOptions: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } });
    const resp2 = createClient({ url, RESP: 2 });
    for (const client of [buffers, resp2]) {
      client.on('error', () => undefined);
      await client.connect();
      try {
        const store = open({ client, keyPrefix: prefix });
        const key = await store.save({ user: 'ferris', n: 1 }, 60);
        expect(await store.load(key)).toEqual({ user: 'ferris', n: 1 });
        expect(await store.update(key, { n: 2 }, 60)).toBe(key);
        expect(await store.update('missing', { n: 2 }, 60)).toBeNull();
        expect(await store.load(key)).toEqual({ n: 2 });
      } finally {
        client.destroy();
      }
    }
  });
});

describe('RedisSessionStore ownership', () => {
  it('leaves a client it was given open when closed, and refuses further calls without touching Redis', async () => {
    const client = createClient({ url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const store = open({ client, keyPrefix: prefix });
      const key = await store.save({ user: 'ferris' }, 60);
      await store.close();
      await store.close();
      expect(client.isReady).toBe(true);
      expect(await client.get(`${prefix}${key}`)).toBe('{"v":1,"state":{"user":"ferris"}}');
      const error = await store.load(key).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(LoadError);
      expect((error as LoadError).kind).toBe('other');
      expect(((error as LoadError).cause as Error).message).toMatch(/closed/);
      // A second store on the same client still works: closing one store never closes the client.
      expect(await open({ client, keyPrefix: prefix }).load(key)).toEqual({ user: 'ferris' });
    } finally {
      client.destroy();
    }
  });

  it('reports its client errors to onError, even when onError throws, and never to the process', async () => {
    const errors: Error[] = [];
    const store = open({
      url: 'redis://127.0.0.1:7049',
      commandTimeoutMs: 300,
      onError: (error) => {
        errors.push(error);
        throw new Error('a broken logger');
      },
    });
    await expect(store.load('any')).rejects.toMatchObject({ name: 'LoadError', kind: 'other' });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.message).toMatch(/ECONNREFUSED/);
  });
});
