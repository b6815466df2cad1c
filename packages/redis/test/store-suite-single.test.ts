import { describeSessionStore, type StoreFixture } from '@sess/store-tests';
import { createClient } from 'redis';
import { RedisSessionStore } from '@sess/redis';
import { createAdminClient, deleteKeysWithPrefix, redisInspector, type AdminClient } from './helpers/redis-inspector.js';
import { sharedRedisUrl, uniquePrefix } from './helpers/redis-urls.js';

// The conformance suite against a single Redis server (database 1 of the shared server). Every
// test gets a fresh store with a key prefix of its own, so the inspector counts exactly its keys.
const url = sharedRedisUrl();
const runPrefix = uniquePrefix('suite-single');
// Nothing listens on this port (it is in the range reserved for these tests and never started).
const deadUrl = 'redis://127.0.0.1:7049';

let admin: AdminClient;
let fixtures = 0;

beforeAll(async () => {
  admin = createAdminClient(url);
  await admin.connect();
});

afterAll(async () => {
  await deleteKeysWithPrefix(admin, runPrefix);
  admin.destroy();
});

function fixture(store: (keyPrefix: string) => RedisSessionStore): StoreFixture<RedisSessionStore> {
  const prefix = `${runPrefix}${fixtures++}:`;
  const instance = store(prefix);
  return {
    store: instance,
    inspect: redisInspector(admin, prefix),
    teardown: async () => {
      await instance.close();
      await deleteKeysWithPrefix(admin, prefix);
    },
  };
}

describeSessionStore(
  'RedisSessionStore({ url }) on one server',
  () => fixture((keyPrefix) => new RedisSessionStore({ url, keyPrefix })),
  {
    rawRecords: true,
    compareAndUpdate: true,
    ownerIndex: true,
    unavailable: () => {
      const store = new RedisSessionStore({ url: deadUrl, commandTimeoutMs: 500, connectTimeoutMs: 500 });
      return { store, teardown: () => store.close() };
    },
    unavailableFailsWithinMs: 1500,
  },
);

describeSessionStore(
  'RedisSessionStore({ client }) on one server',
  () => fixture((keyPrefix) => new RedisSessionStore({ client: admin, keyPrefix })),
  {
    rawRecords: true,
    compareAndUpdate: true,
    ownerIndex: true,
    // A caller's client that keeps trying to reach a dead server, with node-redis' default
    // offline queue: the store's command timeout must still bound every call.
    unavailable: () => {
      const client = createClient({ url: deadUrl, socket: { reconnectStrategy: 100 } });
      client.on('error', () => undefined);
      client.connect().catch(() => undefined);
      const store = new RedisSessionStore({ client, commandTimeoutMs: 500 });
      return {
        store,
        teardown: async () => {
          await store.close();
          client.destroy();
        },
      };
    },
    unavailableFailsWithinMs: 1500,
  },
);
