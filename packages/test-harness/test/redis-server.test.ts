import { existsSync } from 'node:fs';
import { parseCommandStats, startRedisServer, stopAllRedisServers, type RedisServer } from '@sess/test-harness';
import { createClient } from 'redis';

// The one redis-server launcher, on this package's own ports (7250–7259 of the port plan).
const RANGE = { first: 7250, last: 7259 };
afterAll(stopAllRedisServers);

describe('startRedisServer', () => {
  let first: RedisServer;
  let second: RedisServer;
  beforeAll(async () => {
    first = await startRedisServer({ portRange: RANGE });
    second = await startRedisServer({ portRange: RANGE });
  }, 20_000);
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
  });

  test('a port range gives each server the next free port; an exact port that is taken fails', async () => {
    expect(first.port).toBeGreaterThanOrEqual(RANGE.first);
    expect(second.port).toBeGreaterThan(first.port);
    expect(second.port).toBeLessThanOrEqual(RANGE.last);
    await expect(startRedisServer({ port: first.port })).rejects.toThrow(/already in use/);
    await expect(startRedisServer({ port: 6379 })).rejects.toThrow(/outside the range/);
  });

  test('the inspector counts a client\'s commands and keys exactly, and flushes', async () => {
    const client = createClient({ url: first.url });
    await client.connect();
    try {
      await first.resetStats();
      await client.set('k', 'v');
      await client.get('k');
      await client.get('k');
      const calls = await first.commandCalls();
      expect({ get: calls.get, set: calls.set }).toEqual({ get: 2, set: 1 });
      expect(await first.dbSize()).toBe(1);
      await first.flush();
      expect(await first.dbSize()).toBe(0);
    } finally {
      client.destroy();
    }
  });

  test('stop() ends the process and removes its directory', async () => {
    const server = await startRedisServer({ portRange: RANGE });
    await server.stop();
    expect(server.exited).toBe(true);
    expect(() => process.kill(server.pid, 0)).toThrow();
    expect(existsSync(server.dir)).toBe(false);
  });
});

describe('parseCommandStats', () => {
  test('reads calls per command and leaves out the harness’s own INFO and CONFIG', () => {
    const info = [
      '# Commandstats',
      'cmdstat_get:calls=10,usec=20,usec_per_call=2.00,rejected_calls=0,failed_calls=0',
      'cmdstat_set:calls=4,usec=9,usec_per_call=2.25,rejected_calls=0,failed_calls=0',
      'cmdstat_config|resetstat:calls=1,usec=5,usec_per_call=5.00,rejected_calls=0,failed_calls=0',
      'cmdstat_info:calls=2,usec=50,usec_per_call=25.00,rejected_calls=0,failed_calls=0',
      '',
    ].join('\r\n');
    expect(parseCommandStats(info)).toEqual({ get: 10, set: 4 });
  });
});
