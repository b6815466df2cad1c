import { ADAPTERS, send, sessionCookie, sessionErrorOf } from '@sess/test-harness';
import { COOKIE_MAX_BYTES, Key, SaveError, UpdateError, type SessionEvent } from '@sess/core';
import fc from 'fast-check';
import { countingStore } from '../src/counting-store.js';
import { spyOnSubtleCrypto, type SubtleCryptoSpy } from '../src/crypto-spy.js';
import { cells, MODES, serverPool } from '../src/matrix.js';
import { overHttp, PROPERTY_TEST_TIMEOUT_MS } from '../src/property-runs.js';
import { BIG, ECHO, PUT } from '../src/routes.js';
import { COOKIE_FIXTURE, MEMORY_FIXTURE, redisFixture } from '../src/stores.js';

// Oversize input, both ways. Outgoing: a state too big for a cookie is refused with a clear 500
// (DESIGN.md improvement 5) instead of a cookie browsers would silently drop, and the previous
// cookie keeps working. Incoming: a session cookie over 4096 bytes is ignored before any crypto
// work or store call. The server pool also fails any test in which a server sent a Set-Cookie
// whose name=value is over 4096 bytes.

const redis = redisFixture('sess-security:oversize:');
const servers = serverPool();
const cookieBytes = (pair: string): number => Buffer.byteLength(pair, 'latin1');

beforeAll(() => redis.open());
afterAll(() => redis.close());

describe.each(cells(ADAPTERS, [COOKIE_FIXTURE], MODES))('$label', ({ adapter, store, mode }) => {
  async function start() {
    const { store: sessionStore } = await store.fresh();
    return servers.start(adapter, [ECHO, PUT, BIG], { store: sessionStore, key: Key.generate(), cookie: { contentSecurity: mode } });
  }

  test('oversize state: a handler storing 5,000 bytes gets an opaque 500 with no Set-Cookie, and the previous cookie keeps working', async () => {
    const server = await start();
    const put = await send(`${server.url}/put`, { method: 'POST', body: JSON.stringify({ user: 'ferris' }) });
    const cookie = sessionCookie(put, 'id')!;
    expect(put.status).toBe(200);

    const big = await send(`${server.url}/big?bytes=5000`, { method: 'POST', cookie });
    expect(big.status).toBe(500);
    expect(big.setCookie).toEqual([]);
    // The reason stays server-side: the error the framework got has a generic message.
    const error = sessionErrorOf(server.errors.at(-1));
    expect(error).toBeInstanceOf(UpdateError);
    expect(error).toMatchObject({ status: 500, expose: false });
    expect(big.body).not.toMatch(/browsers keep|would be \d+ bytes/);

    const after = await send(`${server.url}/echo`, { cookie });
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body)).toEqual({ user: 'ferris' });
  });

  test('oversize state near the 4096-byte limit (ASCII, escaped and multi-byte characters): each write either fits in a cookie of at most 4096 bytes or is refused with a 500 and no cookie', async () => {
    const server = await start();
    const outcomes = { fits: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 500, max: 4_200 }), fc.constantFrom('x', '"', '%', 'é', '€', '😀'), async (bytes, char) => {
        const res = await send(`${server.url}/big?bytes=${bytes}&char=${encodeURIComponent(char)}`, { method: 'POST' });
        const cookie = sessionCookie(res, 'id');
        if (res.status === 500) {
          outcomes.refused++;
          expect(res.setCookie).toEqual([]);
          expect(sessionErrorOf(server.errors.at(-1))).toBeInstanceOf(SaveError);
          return;
        }
        outcomes.fits++;
        expect(res.status).toBe(200);
        expect(cookieBytes(cookie!)).toBeLessThanOrEqual(COOKIE_MAX_BYTES);
        const echo = await send(`${server.url}/echo`, { cookie });
        expect((JSON.parse(echo.body) as { big: string }).big).toBe(char.repeat(Math.ceil(bytes / char.length)));
      }),
      overHttp(60, { examples: [[3_000, 'x'], [4_064, 'x'], [1_400, 'é']] }),
    );
    // The sizes straddle the limit: both outcomes really happened.
    expect(outcomes.fits).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  }, PROPERTY_TEST_TIMEOUT_MS);
});

describe.each(cells(ADAPTERS, [MEMORY_FIXTURE, redis], ['private']))('$label', ({ adapter, store, mode }) => {
  test('a 100 kB state is no attack on a server-side store: it is stored, and the cookie stays a small session key', async () => {
    const handle = await store.fresh();
    const server = await servers.start(adapter, [ECHO, BIG], { store: handle.store, key: Key.generate(), cookie: { contentSecurity: mode } });
    const big = await send(`${server.url}/big?bytes=100000`, { method: 'POST' });
    expect(big.status).toBe(200);
    const cookie = sessionCookie(big, 'id')!;
    expect(cookieBytes(cookie)).toBeLessThan(200);
    const echo = await send(`${server.url}/echo`, { cookie });
    expect((JSON.parse(echo.body) as { big: string }).big).toHaveLength(100_000);
  });
});

describe.each(cells(ADAPTERS, [COOKIE_FIXTURE, MEMORY_FIXTURE, redis], MODES))('$label', ({ adapter, store, mode }) => {
  let spy: SubtleCryptoSpy;
  beforeEach(() => (spy = spyOnSubtleCrypto()));
  afterEach(() => spy.restore());

  test('an incoming session cookie over 4096 bytes is ignored without crypto work or store call, even when it starts with a valid sealed value', async () => {
    const handle = await store.fresh();
    const counted = countingStore(handle.store);
    const key = Key.generate();
    const events: SessionEvent[] = [];
    const server = await servers.start(adapter, [ECHO, PUT], {
      store: counted.store,
      key,
      cookie: { contentSecurity: mode },
      onEvent: (event) => events.push(event),
    });
    const put = await send(`${server.url}/put`, { method: 'POST', body: JSON.stringify({ user: 'ferris' }) });
    const valid = sessionCookie(put, 'id')!;
    // A well-formed forgery at the limit is still examined (and rejected by the crypto check),
    // which shows the spy does see the server's crypto work: 4095 bytes of base64 zeros for an
    // AES-GCM blob, or exactly 4096 bytes of a 32-byte HMAC followed by a session key.
    const atLimit = mode === 'private' ? `id=${'A'.repeat(4092)}` : `id=${'A'.repeat(43)}%3D${'a'.repeat(COOKIE_MAX_BYTES - 49)}`;
    const overLimit = [`id=${'A'.repeat(COOKIE_MAX_BYTES - 2)}`, `${valid}${'A'.repeat(COOKIE_MAX_BYTES)}`, `id=${'%41'.repeat(20_000)}`];

    expect(cookieBytes(atLimit)).toBeLessThanOrEqual(COOKIE_MAX_BYTES);
    for (const cookie of overLimit) expect(cookieBytes(cookie)).toBeGreaterThan(COOKIE_MAX_BYTES);

    spy.reset();
    counted.calls.length = 0;
    events.length = 0;
    const examined = await send(`${server.url}/echo`, { cookie: atLimit });
    expect(JSON.parse(examined.body)).toEqual({});
    expect(spy.calls()).toBeGreaterThan(0);
    expect(events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'unauthenticated' }]);

    for (const cookie of overLimit) {
      spy.reset();
      events.length = 0;
      const res = await send(`${server.url}/echo`, { cookie });
      expect({ status: res.status, body: JSON.parse(res.body), setCookie: res.setCookie }).toEqual({ status: 200, body: {}, setCookie: [] });
      expect(spy.calls()).toBe(0);
      expect(counted.calls).toEqual([]);
      expect(events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'oversize' }]);
    }
  });
});
