import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSessionManager, Key, serializeState, sessionMetaOf, withSessionMeta, type SessionState } from '@sess/core';
import { DEFAULT_TABLE_NAME, PostgresSessionStore } from '@sess/postgres';
import { dropTable, rowCount, testPool, uniqueTable } from './helpers/database.js';

// What PostgresSessionStore leaves in its table, looked at with SQL: the compare-and-update
// statement, the owner columns, the metadata bytes, the cleanup, the schema.

const admin = testPool();
const table = uniqueTable('store');
let store: PostgresSessionStore;

beforeAll(async () => {
  store = new PostgresSessionStore({ pool: admin, tableName: table, cleanupIntervalSeconds: false });
  await store.createSchema();
});
afterAll(async () => {
  await store.close();
  await dropTable(admin, table);
  await admin.end();
});

const stateOf = (values: Record<string, unknown>): SessionState => Object.assign(Object.create(null) as SessionState, values);
const owned = (owner: string, id: string, extra: Record<string, unknown> = {}): SessionState =>
  withSessionMeta(stateOf(extra), { owner, id, created: 1764720000, active: 1764720060, details: { ua: 'Firefox' } });
const row = async (key: string) =>
  (await admin.query(`SELECT state, owner, owner_session_id, extract(epoch FROM expires_at - now()) AS left FROM "${table}" WHERE key = $1`, [key])).rows[0];

test('compare-and-update writes only over the state it expected, with the TTL, and reports conflict (with the current state) and missing', async () => {
  const loaded = stateOf({ n: 1 });
  const key = await store.save(loaded, 60);
  const next = stateOf({ n: 2 });
  expect(await store.compareAndUpdate(key, loaded, next, 600)).toEqual({ outcome: 'updated', sessionKey: key });
  const written = await row(key);
  expect(written.state).toBe(serializeState(next));
  expect(Number(written.left)).toBeGreaterThan(590);
  expect(await store.compareAndUpdate(key, loaded, stateOf({ n: 3 }), 600)).toEqual({ outcome: 'conflict', current: next });
  expect((await row(key)).state).toBe(serializeState(next));
  await admin.query(`DELETE FROM "${table}" WHERE key = $1`, [key]);
  expect(await store.compareAndUpdate(key, next, loaded, 600)).toEqual({ outcome: 'missing' });
  expect(await row(key)).toBeUndefined();
});

test('compare-and-update never writes over an expired row, nor recreates it', async () => {
  const loaded = stateOf({ n: 1 });
  const key = await store.save(loaded, 60);
  await admin.query(`UPDATE "${table}" SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
  expect(await store.compareAndUpdate(key, loaded, stateOf({ n: 2 }), 600)).toEqual({ outcome: 'missing' });
  expect(await store.update(key, stateOf({ n: 2 }), 600)).toBeNull();
  await store.updateTtl(key, 600);
  expect((await row(key)).state).toBe(serializeState(loaded));
  expect(Number((await row(key)).left)).toBeLessThan(0);
  // Deleting an expired row reports that there was no session.
  expect(await store.delete(key)).toBe(false);
  expect(await row(key)).toBeUndefined();
});

test('40 concurrent compare-and-updates over one loaded state: exactly one writes, every other one sees its state as a conflict', async () => {
  const loaded = stateOf({ n: 0 });
  const key = await store.save(loaded, 60);
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => store.compareAndUpdate(key, loaded, stateOf({ n: 0, writer: i }), 60)));
  const winners = results.filter((result) => result.outcome === 'updated');
  expect(winners).toHaveLength(1);
  const stored = (await row(key)).state as string;
  const winner = JSON.parse(stored).state.writer as number;
  for (const result of results) {
    if (result.outcome === 'conflict') expect(result.current).toEqual(stateOf({ n: 0, writer: winner }));
    else expect(result).toEqual({ outcome: 'updated', sessionKey: key });
  }
});

test('the metadata of the timeouts and owners is kept byte for byte in the state column, and loads back', async () => {
  const state = owned('user-42', 'listing-1', { cart: [1, 2] });
  const key = await store.save(state, 60);
  const written = await row(key);
  expect(written.state).toBe(serializeState(state));
  expect(JSON.parse(written.state).meta).toEqual({ active: 1764720060, created: 1764720000, details: { ua: 'Firefox' }, id: 'listing-1', owner: 'user-42' });
  const loaded = (await store.load(key)) as SessionState;
  expect(sessionMetaOf(loaded)).toEqual(sessionMetaOf(state));
  expect(serializeState(loaded)).toBe(written.state);
  // Loaded and written back unchanged: the same bytes, so compare-and-update matches them.
  expect(await store.compareAndUpdate(key, loaded, withSessionMeta(stateOf({ cart: [1, 2, 3] }), sessionMetaOf(loaded)), 60)).toMatchObject({ outcome: 'updated' });
});

test('owner columns follow the state: set with an owner, cleared when a write has none; listings and deletes never cross owners', async () => {
  const mine = await store.save(owned('alice', 'a1'), 600);
  const theirs = await store.save(owned('bob', 'b1'), 600);
  expect(await row(mine)).toMatchObject({ owner: 'alice', owner_session_id: 'a1' });
  const listed = await store.listOwned('alice');
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({ id: 'a1', meta: { owner: 'alice', id: 'a1', details: { ua: 'Firefox' } } });
  expect(listed[0]!.expiresAt).toBeGreaterThan(Date.now() + 590_000);
  expect(listed[0]!.expiresAt).toBeLessThanOrEqual(Date.now() + 601_000);
  expect(await store.deleteOwned('alice', ['b1'])).toBe(0);
  expect(await store.load(theirs)).not.toBeNull();
  expect(await store.deleteOwned('alice', [])).toBe(0);
  expect(await store.update(theirs, stateOf({ anonymous: true }), 600)).toBe(theirs);
  expect(await row(theirs)).toMatchObject({ owner: null, owner_session_id: null });
  expect(await store.listOwned('bob')).toEqual([]);
  expect(await store.deleteOwned('alice', ['a1', 'a1', 'unknown'])).toBe(1);
  expect(await store.load(mine)).toBeNull();
});

test('an expired session is neither listed nor deleted as one of the owner\'s', async () => {
  const key = await store.save(owned('carol', 'c1'), 600);
  await admin.query(`UPDATE "${table}" SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
  expect(await store.listOwned('carol')).toEqual([]);
  expect(await store.deleteOwned('carol', ['c1'])).toBe(0);
});

test('the cleanup deletes expired rows in bounded batches, counts them, and leaves live rows alone', async () => {
  const cleanTable = uniqueTable('cleanup');
  const cleaner = new PostgresSessionStore({ pool: admin, tableName: cleanTable, cleanupIntervalSeconds: false, cleanupBatchSize: 100 });
  await cleaner.createSchema();
  try {
    await admin.query(
      `INSERT INTO "${cleanTable}" (key, state, expires_at) SELECT 'expired-' || i, '{"v":1,"state":{}}', now() - interval '1 minute' FROM generate_series(1, 250) AS i`,
    );
    // A table of mostly live sessions, as in production.
    await admin.query(
      `INSERT INTO "${cleanTable}" (key, state, expires_at) SELECT 'live-' || i, '{"v":1,"state":{}}', now() + interval '1 hour' FROM generate_series(1, 5000) AS i`,
    );
    const live = await cleaner.save(stateOf({ user: 'ferris' }), 600);
    expect(await rowCount(admin, cleanTable)).toBe(5251);
    // A batch is found through the expiry index, not by scanning the table.
    await admin.query(`ANALYZE "${cleanTable}"`);
    const plan = await admin.query(`EXPLAIN SELECT key FROM "${cleanTable}" WHERE expires_at <= now() ORDER BY expires_at LIMIT 100`);
    expect(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')).toMatch(new RegExp(`Index Scan using ${cleanTable}_expires_at`));
    // Two batches of 100 and one of 50; the live rows stay.
    expect(await cleaner.cleanup()).toBe(250);
    expect(await rowCount(admin, cleanTable)).toBe(5001);
    expect(await cleaner.load(live)).toEqual(stateOf({ user: 'ferris' }));
    expect(await cleaner.cleanup()).toBe(0);
  } finally {
    await cleaner.close();
    await dropTable(admin, cleanTable);
  }
});

test('the store runs the cleanup on its own interval (an unref\'d timer) and reports its failures to onError', async () => {
  const timedTable = uniqueTable('timer');
  const errors: Error[] = [];
  const timed = new PostgresSessionStore({ pool: admin, tableName: timedTable, cleanupIntervalSeconds: 1, onError: (error) => errors.push(error) });
  try {
    // No table yet: the first run fails, is reported, and the timer keeps going.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]!.message).toMatch(/does not exist/);
    await timed.createSchema();
    await timed.save(stateOf({ short: true }), 1);
    await timed.save(stateOf({ long: true }), 600);
    await new Promise((resolve) => setTimeout(resolve, 2600));
    expect(await rowCount(admin, timedTable)).toBe(1);
  } finally {
    await timed.close();
    await dropTable(admin, timedTable);
  }
}, 10_000);

test('10,000 anonymous requests through the lifecycle write no row', async () => {
  const manager = createSessionManager({ store, key: Key.generate() });
  const before = await rowCount(admin, table);
  for (let i = 0; i < 10_000; i++) {
    const rs = await manager.load(i % 2 === 0 ? undefined : `id=not-a-valid-cookie-${i}`);
    rs.session.get('user');
    expect(await manager.commit(rs)).toEqual([]);
  }
  expect(await rowCount(admin, table)).toBe(before);
}, 30_000);

test('createSchema is idempotent, and sql/schema.sql is its SQL for the default table', async () => {
  await store.createSchema();
  await Promise.all([store.createSchema(), store.createSchema()]);
  const indexes = await admin.query(`SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY indexname`, [table]);
  expect(indexes.rows.map((r: { indexname: string }) => r.indexname)).toEqual([`${table}_expires_at`, `${table}_owner`, `${table}_pkey`]);
  const file = readFileSync(join(__dirname, '../sql/schema.sql'), 'utf8');
  const sql: string[] = [];
  const probe = new PostgresSessionStore({
    pool: { query: async (query) => (sql.push(query.text), { rows: [], rowCount: 0 }) },
    cleanupIntervalSeconds: false,
  });
  await probe.createSchema();
  await probe.close();
  expect(sql).toEqual([file]);
  expect(file).toContain(`CREATE TABLE IF NOT EXISTS "${DEFAULT_TABLE_NAME}"`);
});

test('a schema-qualified table name works; closing a store never ends the pool it borrowed', async () => {
  const schema = uniqueTable('schema');
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const qualified = new PostgresSessionStore({ pool: admin, tableName: `${schema}.sessions`, cleanupIntervalSeconds: false });
  try {
    await qualified.createSchema();
    const key = await qualified.save(stateOf({ a: 1 }), 60);
    expect(Number((await admin.query(`SELECT count(*) AS n FROM "${schema}"."sessions" WHERE key = $1`, [key])).rows[0].n)).toBe(1);
    await qualified.close();
    await expect(qualified.load(key)).rejects.toMatchObject({ name: 'LoadError', kind: 'other' });
    expect((await admin.query('SELECT 1 AS one')).rows[0].one).toBe(1);
  } finally {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
  }
});

test.each([
  ['tableName', { tableName: 'sessions; DROP TABLE users' }],
  ['tableName', { tableName: '"quoted"' }],
  ['tableName', { tableName: 'a.b.c' }],
  ['tableName', { tableName: '1sessions' }],
  ['tableName', { tableName: 'x'.repeat(49) }],
  ['queryTimeoutMs', { queryTimeoutMs: 0 }],
  ['cleanupIntervalSeconds', { cleanupIntervalSeconds: 0 }],
  ['cleanupBatchSize', { cleanupBatchSize: 1.5 }],
  ['maxConnections', { maxConnections: 5 }],
  ['connectionString', { connectionString: 'postgres://127.0.0.1/test' }],
  ['colour', { colour: 'red' }],
])('refuses a bad %s at construction with SessionConfigError', (option, extra) => {
  expect(() => new PostgresSessionStore({ pool: admin, ...(extra as object) })).toThrow(
    expect.objectContaining({ name: 'SessionConfigError', option }) as unknown as Error,
  );
});
