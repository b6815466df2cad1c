import { describeSessionStore, type StoreFixture } from '@sess/store-tests';
import { PostgresSessionStore } from '@sess/postgres';
import { DATABASE_URL, dropTable, tableInspector, testPool, uniqueTable } from './helpers/database.js';

// The conformance suite against the machine's PostgreSQL. Every test gets a table of its own
// (created by createSchema, dropped after), so the inspector counts exactly its rows.
const admin = testPool();
// Nothing listens on port 1 (tcpmux, privileged, never started here): connections are refused.
const deadUrl = 'postgres://postgres@127.0.0.1:1/test';

afterAll(async () => {
  await admin.end();
});

async function fixture(store: (tableName: string) => PostgresSessionStore): Promise<StoreFixture<PostgresSessionStore>> {
  const table = uniqueTable('suite');
  const instance = store(table);
  await instance.createSchema();
  return {
    store: instance,
    inspect: tableInspector(admin, table),
    teardown: async () => {
      await instance.close();
      await dropTable(admin, table);
    },
  };
}

describeSessionStore(
  'PostgresSessionStore({ pool })',
  () => fixture((tableName) => new PostgresSessionStore({ pool: admin, tableName })),
  {
    rawRecords: true,
    compareAndUpdate: true,
    ownerIndex: true,
    unavailable: () => {
      const pool = testPool(deadUrl);
      const store = new PostgresSessionStore({ pool, queryTimeoutMs: 500 });
      return { store, teardown: async () => (await store.close(), await pool.end()) };
    },
    unavailableFailsWithinMs: 1500,
  },
);

describeSessionStore(
  'PostgresSessionStore({ connectionString })',
  () => fixture((tableName) => new PostgresSessionStore({ connectionString: DATABASE_URL, tableName, maxConnections: 2 })),
  {
    rawRecords: true,
    compareAndUpdate: true,
    ownerIndex: true,
    unavailable: () => {
      const store = new PostgresSessionStore({ connectionString: deadUrl, queryTimeoutMs: 500 });
      return { store, teardown: () => store.close() };
    },
    unavailableFailsWithinMs: 1500,
  },
);
