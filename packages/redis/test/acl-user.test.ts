import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSessionManager, Key } from '@sess/core';
import { RedisSessionStore } from '@sess/redis';
import { freePorts, redisCommand, startRedisServer, stopAllRedisServers, type RedisServer } from '@sess/test-harness';

// The README's ACL user, run as written on a server this file starts on a free port in
// 127.0.0.1:7190–7199: everything the store does works with exactly those permissions.
const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const aclLine = /^ACL SETUSER sessions .*$/m.exec(readme)?.[0];
let server: RedisServer;

beforeAll(async () => {
  const [port] = (await freePorts(1, 7190, 7199)) as [number];
  server = await startRedisServer({ port });
}, 20_000);

afterAll(async () => {
  await server?.stop();
  await stopAllRedisServers();
}, 20_000);

test("the README's ACL user can do everything the store does, and nothing outside its key prefix", async () => {
  expect(aclLine).toBeDefined();
  expect(await redisCommand(server.port, aclLine!.split(' '))).toBe('OK');
  const errors: Error[] = [];
  const url = `redis://sessions:secret@127.0.0.1:${server.port}`;
  const store = new RedisSessionStore({ url, keyPrefix: 'shop:session:', onError: (error) => errors.push(error) });
  const outside = new RedisSessionStore({ url, keyPrefix: 'admin:session:', onError: (error) => errors.push(error) });
  const revocations = store.ownerRevocations();
  const manager = createSessionManager({ store, key: Key.generate() });
  try {
    // save (with an owner: the owner index script), load, compare-and-update, list, revoke.
    let rs = await manager.load(undefined);
    rs.session.insert('counter', 1);
    rs.session.setOwner('alice');
    const cookie = (await manager.commit(rs, { status: 200 }))[0]!.split(';')[0]!;
    rs = await manager.load(cookie);
    expect(rs.session.get('counter')).toBe(1);
    rs.session.insert('counter', 2);
    await manager.commit(rs, { status: 200 });
    expect((await manager.load(cookie)).session.get('counter')).toBe(2);
    expect(await manager.owners.list('alice')).toHaveLength(1);
    expect(await manager.owners.revokeAll('alice')).toBe(1);
    expect((await manager.load(cookie)).session.get('counter')).toBeUndefined();
    await revocations.set('bob', { before: 1 }, 60);
    expect(await revocations.get('bob')).toEqual({ before: 1 });
    // Another prefix is out of bounds for this user.
    await expect(outside.load('a'.repeat(64))).rejects.toThrow();
    expect(errors).toEqual([]);
  } finally {
    await store.close();
    await outside.close();
  }
}, 20_000);
