import fc from 'fast-check';
import {
  CookieSessionStore,
  createSessionManager,
  deserializeState,
  Key,
  MemorySessionStore,
  SaveError,
  serializeState,
  UpdateError,
  type JsonValue,
  type SessionManager,
  type SessionState,
  type SessionStore,
} from '../src/index.js';
import { pairOf } from './helpers.js';

// Property-based tests (fast-check) of the cookie codec and the lifecycle: whatever arrives in a
// Cookie header, `load` never throws (so never a 500) and never yields a session that the key did
// not seal; whatever JSON state a handler writes, every store gives it back unchanged.

const RUNS = { numRuns: 150 };
const key = Key.generate();

/** JSON state whose keys include the prototype-polluting names. */
const stateArbitrary = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', ''), fc.string({ maxLength: 12 })),
      fc.jsonValue({ maxDepth: 3 }),
    ),
    { maxLength: 6 },
  )
  .map((entries) => {
    const state = Object.create(null) as SessionState;
    // JSON round trip: what JSON can represent (no -0), the way a client would see it.
    for (const [name, value] of entries) state[name] = JSON.parse(JSON.stringify(value)) as JsonValue;
    return state;
  });

interface Issued {
  manager: SessionManager;
  /** `name=value` of a cookie the manager issued, and the state it carries. */
  cookie: string;
  state: SessionState;
}

async function issue(store: SessionStore, mode: 'private' | 'signed', state: SessionState): Promise<Issued> {
  const manager = createSessionManager({ store, key, cookie: { contentSecurity: mode } });
  const rs = await manager.load(undefined);
  for (const [name, value] of Object.entries(state)) rs.session.insert(name, value);
  const [header] = await manager.commit(rs);
  return { manager, cookie: pairOf(header!), state };
}

const sameState = (a: Readonly<Record<string, JsonValue>>, b: SessionState) =>
  serializeState(Object.assign(Object.create(null), a) as SessionState) === serializeState(b);

/** A mutation of a valid `name=value` pair: returns the Cookie header to send. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }) }),
  fc.record({ kind: fc.constant('bad-escape' as const), at: fc.nat(), text: fc.constantFrom('%', '%Z', '%G1', '%E0%A4', '%FF', '%%') }),
  fc.record({ kind: fc.constant('huge' as const), size: fc.integer({ min: 4_000, max: 70_000 }) }),
  fc.record({ kind: fc.constant('duplicate-before' as const), text: fc.string({ maxLength: 40 }) }),
  fc.record({ kind: fc.constant('many-cookies' as const), count: fc.integer({ min: 1, max: 1_000 }), at: fc.nat() }),
);

/** The value actix-web reads: `%XX` escapes of either case become bytes, other text its UTF-8; strict UTF-8 (`null` if not). */
function read(raw: string): string | null {
  const parts = raw.split(/(%[0-9A-Fa-f]{2})/);
  const bytes = Buffer.concat(parts.map((part, i) => (i % 2 === 1 ? Buffer.from([Number.parseInt(part.slice(1), 16)]) : Buffer.from(part, 'utf8'))));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function apply(cookie: string, m: typeof mutation extends fc.Arbitrary<infer T> ? T : never): { header: string; untouched: boolean } {
  const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
  switch (m.kind) {
    case 'flip': {
      const i = m.at % value.length;
      const mutated = value.slice(0, i) + String.fromCharCode(value.charCodeAt(i) ^ (1 << m.bit)) + value.slice(i + 1);
      // A flip that only changes the case of an escape's hex digit spells the same value.
      return { header: `${name}=${mutated}`, untouched: read(mutated) === read(value) };
    }
    case 'truncate':
      return { header: `${name}=${value.slice(0, m.at % value.length)}`, untouched: false };
    case 'insert': {
      const i = m.at % (value.length + 1);
      return { header: `${name}=${value.slice(0, i)}${m.text}${value.slice(i)}`, untouched: false };
    }
    case 'bad-escape': {
      const i = m.at % (value.length + 1);
      return { header: `${name}=${value.slice(0, i)}${m.text}${value.slice(i)}`, untouched: false };
    }
    case 'huge':
      return { header: `${name}=${value}${'A'.repeat(m.size)}`, untouched: false };
    case 'duplicate-before': {
      // actix-web takes the first cookie of the name that decodes; a forged one in front hides
      // the real one, an undecodable one is skipped.
      const text = m.text.replace(/[;\s]/g, '');
      const first = read(text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text);
      return { header: `${name}=${text}; ${cookie}`, untouched: first === null || first === read(value) };
    }
    case 'many-cookies': {
      const others = Array.from({ length: m.count }, (_, i) => `c${i}=v${i}`);
      others.splice(m.at % (others.length + 1), 0, cookie);
      return { header: others.join('; '), untouched: true };
    }
  }
}

const stores: [string, () => SessionStore][] = [
  ['cookie store', () => new CookieSessionStore()],
  ['memory store', () => new MemorySessionStore()],
];

describe.each(stores)('lifecycle properties, %s', (_name, makeStore) => {
  describe.each(['private', 'signed'] as const)('%s', (mode) => {
    test('any Cookie header: load resolves, and any session it yields is one the key sealed', async () => {
      const { manager, state } = await issue(makeStore(), mode, Object.assign(Object.create(null), { user: 'ferris' }));
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (header) => {
          const rs = await manager.load(header);
          const entries = rs.session.entries();
          expect(Object.keys(entries).length === 0 || sameState(entries, state)).toBe(true);
          await manager.commit(rs);
        }),
        RUNS,
      );
    });

    test('a mutated valid cookie gives an empty session unless the mutation left it intact', async () => {
      await fc.assert(
        fc.asyncProperty(stateArbitrary, mutation, async (state, m) => {
          fc.pre(Object.keys(state).length > 0);
          const issued = await issue(makeStore(), mode, state).catch((error: unknown) => {
            // A random state can exceed the 4096-byte cookie budget: a clear SaveError, never anything else.
            expect(error).toBeInstanceOf(SaveError);
            return null;
          });
          if (issued === null) return;
          const { header, untouched } = apply(issued.cookie, m);
          const rs = await issued.manager.load(header);
          const entries = rs.session.entries();
          if (untouched) expect(sameState(entries, issued.state)).toBe(true);
          else expect(entries).toEqual({});
        }),
        RUNS,
      );
    });
  });

  test('any JSON state (prototype-polluting keys included) round-trips through the lifecycle', async () => {
    await fc.assert(
      fc.asyncProperty(stateArbitrary, fc.constantFrom('private' as const, 'signed' as const), async (state, mode) => {
        // An empty state issues no cookie at all (nothing to persist).
        fc.pre(Object.keys(state).length > 0);
        const issued = await issue(makeStore(), mode, state).catch((error: unknown) => {
          expect(error).toBeInstanceOf(SaveError);
          return null;
        });
        if (issued === null) return;
        const rs = await issued.manager.load(issued.cookie);
        expect(sameState(rs.session.entries(), state)).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      RUNS,
    );
  });

  test('any JSON state round-trips through the store itself, and through the record format', async () => {
    const store = makeStore();
    await fc.assert(
      fc.asyncProperty(stateArbitrary, async (state) => {
        let sessionKey: string;
        try {
          sessionKey = await store.save(state, 60);
        } catch (error) {
          expect(error).toBeInstanceOf(SaveError);
          return;
        }
        const loaded = await store.load(sessionKey);
        expect(loaded).not.toBeNull();
        expect(Object.getPrototypeOf(loaded)).toBeNull();
        expect(serializeState(loaded!)).toBe(serializeState(state));
        expect(serializeState(deserializeState(serializeState(state)))).toBe(serializeState(state));
        const next = await store.update(sessionKey, state, 60).catch((error: unknown) => {
          expect(error).toBeInstanceOf(UpdateError);
          return null;
        });
        if (next !== null) expect(serializeState((await store.load(next))!)).toBe(serializeState(state));
      }),
      RUNS,
    );
  });
});
