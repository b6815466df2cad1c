import { Agent } from 'node:http';
import { Key } from '@sess/core';
import fc from 'fast-check';
import { ADAPTERS, send, sessionCookie } from '@sess/test-harness';
import { applyMutation, cookieMutation, randomCookieHeader } from '../src/cookie-attacks.js';
import { cells, MODES, serverPool } from '../src/matrix.js';
import { overHttp, PROPERTY_TEST_TIMEOUT_MS } from '../src/property-runs.js';
import { ECHO, PUT } from '../src/routes.js';
import { COOKIE_FIXTURE, MEMORY_FIXTURE, redisFixture } from '../src/stores.js';

// Item 1 of the issue over real HTTP: core's property tests prove it for the manager; these prove
// that no adapter turns a hostile Cookie header into a 500 or into a session the key did not seal.
// Every request goes to a read-only route that echoes `entries()`: the only session it may show
// is the one the server itself issued, and only when the cookie reached it intact.

const redis = redisFixture('sess-security:cookie-fuzz:');
const stores = [COOKIE_FIXTURE, MEMORY_FIXTURE, redis];
const sealed = { role: 'member', user: 'ferris' };
// Bulk traffic over a few kept-alive connections; each server closes its own at the end of a test.
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const servers = serverPool();

beforeAll(() => redis.open());
afterAll(async () => {
  agent.destroy();
  await redis.close();
});

describe.each(cells(ADAPTERS, stores, MODES))('$label', ({ adapter, store, mode }) => {
  /** A server, and the `name=value` of a session it issued for {@link sealed}. */
  async function issued(): Promise<{ url: string; cookie: string }> {
    const { store: sessionStore } = await store.fresh();
    const server = await servers.start(adapter, [ECHO, PUT], { store: sessionStore, key: Key.generate(), cookie: { contentSecurity: mode } });
    const put = await send(`${server.url}/put`, { method: 'POST', body: JSON.stringify(sealed), agent });
    const cookie = sessionCookie(put, 'id');
    if (put.status !== 200 || cookie === undefined) throw new Error(`could not issue a session: ${put.status}`);
    return { url: server.url, cookie };
  }

  test('random Cookie headers (random bytes, name=value lists, forged sealed values) never give a 500 or a session the key did not seal', async () => {
    const { url } = await issued();
    await fc.assert(
      fc.asyncProperty(randomCookieHeader('id'), async (header) => {
        const res = await send(`${url}/echo`, { cookie: header, agent });
        expect({ status: res.status, setCookie: res.setCookie }).toEqual({ status: 200, setCookie: [] });
        // None of these headers holds the issued cookie: whatever they contain, the session is empty.
        expect(JSON.parse(res.body)).toEqual({});
      }),
      overHttp(120),
    );
  }, PROPERTY_TEST_TIMEOUT_MS);

  test('a mutated session cookie (bit flips, truncation, bad percent-escapes, re-encoding, 70 kB values, duplicate names, 1,000 cookies) loads nothing unless it reached the server intact (any percent-encoding of the issued bytes)', async () => {
    const { url, cookie } = await issued();
    await fc.assert(
      fc.asyncProperty(cookieMutation, async (mutation) => {
        const { header, intact } = applyMutation(cookie, mutation);
        const res = await send(`${url}/echo`, { cookie: header, agent });
        expect({ status: res.status, setCookie: res.setCookie }).toEqual({ status: 200, setCookie: [] });
        expect(JSON.parse(res.body)).toEqual(intact ? sealed : {});
      }),
      overHttp(200, {
        // The extremes named in the issue, always tried.
        examples: [
          [{ kind: 'many-cookies', count: 1_000, at: 500 }],
          [{ kind: 'huge', size: 70_000 }],
          [{ kind: 'truncate', at: 0 }],
          [{ kind: 'bad-escape', at: 3, text: '%' }],
          [{ kind: 'quote' }],
        ],
      }),
    );
  }, PROPERTY_TEST_TIMEOUT_MS);
});
