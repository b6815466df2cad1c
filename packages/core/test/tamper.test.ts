import {
  CookieSessionStore,
  createSessionManager,
  Key,
  MemorySessionStore,
  type SessionEvent,
  type SessionManager,
  type SessionStore,
} from '../src/index.js';
import { decodeBase64, encodeBase64 } from '../src/base64.js';
import { percentDecodeCookieValue, percentEncodeCookieValue } from '../src/percent-encoding.js';
import { pairOf } from './helpers.js';

// Every alteration of a valid cookie must give an empty session: never an exception, never a
// session the key did not seal, always a reason-coded event.

const key = Key.generate();

async function setup(store: SessionStore, mode: 'private' | 'signed', name = 'id') {
  const events: SessionEvent[] = [];
  const manager = createSessionManager({ store, key, cookie: { contentSecurity: mode, name }, onEvent: (e) => events.push(e) });
  const rs = await manager.load(undefined);
  rs.session.insert('user_id', 'ferris');
  const [header] = await manager.commit(rs);
  const raw = pairOf(header!).slice(name.length + 1);
  // Sanity: the untouched cookie opens.
  expect((await manager.load(`${name}=${raw}`)).session.get('user_id')).toBe('ferris');
  events.length = 0;
  return { manager, raw, events };
}

async function expectRejected(manager: SessionManager, header: string, events: SessionEvent[]): Promise<void> {
  events.length = 0;
  const rs = await manager.load(header);
  expect(rs.session.entries()).toEqual({});
  expect(events.map((e) => e.type)).toEqual(['cookie-rejected']);
  // Nothing to persist, nothing to clear: the forged cookie is simply ignored.
  expect(await manager.commit(rs)).toEqual([]);
}

const stores: [string, () => SessionStore][] = [
  ['cookie store', () => new CookieSessionStore()],
  ['memory store', () => new MemorySessionStore()],
];

describe.each(stores)('tampering, %s', (_storeName, makeStore) => {
  describe.each(['private', 'signed'] as const)('%s', (mode) => {
    test('every single-bit flip of the sealed bytes is rejected', async () => {
      const { manager, raw, events } = await setup(makeStore(), mode);
      const value = decodeURIComponent(raw);
      // For signed cookies the sealed bytes are the 32-byte MAC followed by the value's text.
      const bytes =
        mode === 'private'
          ? decodeBase64(value)!
          : new Uint8Array([...decodeBase64(value.slice(0, 44))!, ...new TextEncoder().encode(value.slice(44))]);
      let flips = 0;
      for (let i = 0; i < bytes.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const mutated = bytes.slice();
          mutated[i]! ^= 1 << bit;
          const text =
            mode === 'private'
              ? encodeBase64(mutated)
              : encodeBase64(mutated.subarray(0, 32)) + new TextDecoder().decode(mutated.subarray(32));
          await expectRejected(manager, `id=${percentEncodeCookieValue(text)}`, events);
          flips++;
        }
      }
      expect(flips).toBe(bytes.length * 8);
    });

    test('every single-bit flip of the cookie text on the wire is rejected, but for a spelling of the same value', async () => {
      const { manager, raw } = await setup(makeStore(), mode);
      const original = percentDecodeCookieValue(raw);
      // Flipping bit 5 of a hex letter in an escape (`%2F` → `%2f`) spells the same bytes: read as
      // actix-session reads it, it opens the same session. Every other flip changes the bytes.
      const respellings = [...raw.matchAll(/%[0-9A-F]{2}/g)].reduce((n, [escape]) => n + (escape.slice(1).match(/[A-F]/g)?.length ?? 0), 0);
      let sameValue = 0;
      for (let i = 0; i < raw.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const mutated = raw.slice(0, i) + String.fromCharCode(raw.charCodeAt(i) ^ (1 << bit)) + raw.slice(i + 1);
          const rs = await manager.load(`id=${mutated}`);
          if (percentDecodeCookieValue(mutated) === original) {
            sameValue++;
            expect(rs.session.get('user_id')).toBe('ferris');
            continue;
          }
          // A flip can create a separator (`;`, `=`…), which cuts the value: rejected all the same.
          expect(rs.session.entries()).toEqual({});
          expect(await manager.commit(rs)).toEqual([]);
        }
      }
      expect(sameValue).toBe(respellings);
    });

    test('every truncation is rejected', async () => {
      const { manager, raw, events } = await setup(makeStore(), mode);
      for (let length = 0; length < raw.length; length++) {
        const header = `id=${raw.slice(0, length)}`;
        events.length = 0;
        const rs = await manager.load(header);
        expect(rs.session.entries()).toEqual({});
        // Exactly one report per request: `every` over no events at all would pass vacuously.
        expect(events.map((e) => e.type)).toEqual(['cookie-rejected']);
      }
    });

    test('a value percent-encoded another way (lower-case escapes, unescaped or over-escaped characters) opens, as in actix-session', async () => {
      const { manager, raw, events } = await setup(makeStore(), mode);
      const value = decodeURIComponent(raw);
      const spellings = [
        raw.replace(/%([0-9A-F]{2})/g, (_m, hex: string) => `%${hex.toLowerCase()}`),
        value,
        encodeURIComponent(value),
        // Every character escaped, as an over-eager encoder might.
        [...value].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
      ].filter((variant) => variant !== raw);
      expect(spellings.length).toBeGreaterThanOrEqual(3);
      for (const spelling of spellings) {
        const rs = await manager.load(`id=${spelling}`);
        expect({ spelling, user: rs.session.get('user_id') }).toEqual({ spelling, user: 'ferris' });
      }
      expect(events).toEqual([]);
    });

    test('a value re-encoded into other bytes (base64url, no padding) is rejected', async () => {
      const { manager, raw, events } = await setup(makeStore(), mode);
      const value = decodeURIComponent(raw);
      const variants = [
        percentEncodeCookieValue(value.replace(/\+/g, '-').replace(/\//g, '_')),
        // Padding dropped: at the end of a private value, after the 44-character MAC of a signed one.
        percentEncodeCookieValue(mode === 'private' ? value.replace(/=+$/, '') : value.slice(0, 43) + value.slice(44)),
      ].filter((variant) => variant !== raw);
      expect(variants.length).toBeGreaterThanOrEqual(1);
      for (const variant of variants) await expectRejected(manager, `id=${variant}`, events);
    });

    test('a value sealed for another cookie name is rejected', async () => {
      const store = makeStore();
      const { raw } = await setup(store, mode, 'other');
      const events: SessionEvent[] = [];
      const manager = createSessionManager({ store, key, cookie: { contentSecurity: mode }, onEvent: (e) => events.push(e) });
      events.length = 0;
      const rs = await manager.load(`id=${raw}`);
      if (mode === 'private') {
        // AES-GCM binds the cookie name as associated data.
        expect(rs.session.entries()).toEqual({});
        expect(events).toEqual([{ type: 'cookie-rejected', cookieName: 'id', reason: 'unauthenticated' }]);
      } else {
        // cookie 0.16's HMAC covers the value only (reference §5.2), so a signed value moves
        // between names of the same application, exactly as in actix-session.
        expect(rs.session.get('user_id')).toBe('ferris');
      }
    });

    test('a value sealed by a foreign key is rejected', async () => {
      const { raw } = await setup(makeStore(), mode);
      const events: SessionEvent[] = [];
      const foreign = createSessionManager({ store: makeStore(), key: Key.generate(), cookie: { contentSecurity: mode }, onEvent: (e) => events.push(e) });
      await expectRejected(foreign, `id=${raw}`, events);
    });
  });

  test('a GCM tag cut to 12, 8 or 4 bytes is rejected', async () => {
    const { manager, raw, events } = await setup(makeStore(), 'private');
    const bytes = decodeBase64(decodeURIComponent(raw))!;
    for (const tagBytes of [12, 8, 4]) {
      const cut = bytes.subarray(0, bytes.length - (16 - tagBytes));
      await expectRejected(manager, `id=${percentEncodeCookieValue(encodeBase64(cut))}`, events);
    }
  });

  test('a signed value presented to a private configuration is rejected, and the reverse', async () => {
    const signed = await setup(makeStore(), 'signed');
    const sealed = await setup(makeStore(), 'private');
    await expectRejected(sealed.manager, `id=${signed.raw}`, sealed.events);
    await expectRejected(signed.manager, `id=${sealed.raw}`, signed.events);
  });
});

describe('malformed input never throws', () => {
  const manager = createSessionManager({ store: new CookieSessionStore(), key });

  test.each([
    ['an empty value (the removal cookie sent back)', 'id='],
    ['a bad percent-escape', 'id=%E0%A4%A'],
    ['an invalid UTF-8 escape', 'id=%FF%FE'],
    ['quotes only', 'id=""'],
    ['a lone separator', 'id=;'],
    ['non-ASCII bytes', 'id=\u00e9\u00e0'],
    ['a header that is only separators', ';;;=;='],
    ['a name without value', 'id'],
  ])('%s gives an empty session', async (_label, header) => {
    const rs = await manager.load(header);
    expect(rs.session.entries()).toEqual({});
  });
});
