import { z } from 'zod';
import {
  Session,
  SessionGetError,
  SessionInsertError,
  SessionStatus,
  SessionUpdateError,
} from '../src/index.js';
import { sessionInternals } from '../src/session.js';

// Ports of actix-session's tests/session.rs (reference §10.3), named after the originals.
describe('actix-session tests/session.rs', () => {
  test('standalone_session', () => {
    const session = new Session();
    expect(session.status).toBe(SessionStatus.Unchanged);
    expect(session.entries()).toEqual({});
    session.insert('key', 'value');
    expect(session.status).toBe(SessionStatus.Changed);
    expect(session.get<string>('key')).toBe('value');
  });

  test('default_session', () => {
    // Rust's `Session::default()` is `new Session()` here.
    const session = new Session();
    expect(session.status).toBe(SessionStatus.Unchanged);
    expect(session.entries()).toEqual({});
  });

  test('session', () => {
    const session = new Session();
    session.insert('key', 'value');
    expect(session.get('key')).toBe('value');
    session.insert('key2', 'value2');
    session.remove('key');
    expect(Object.entries(session.entries())).toEqual([['key2', 'value2']]);
  });

  test('get_session', () => {
    const session = new Session();
    session.insert('key', true);
    expect(session.get<boolean>('key')).toBe(true);
  });

  test('get_session_from_request_head', () => {
    const session = new Session();
    session.insert('key', 10);
    expect(session.get<number>('key')).toBe(10);
  });

  test('purge_session', () => {
    const session = new Session();
    expect(session.status).toBe(SessionStatus.Unchanged);
    session.purge();
    expect(session.status).toBe(SessionStatus.Purged);
  });

  test('renew_session', () => {
    const session = new Session();
    expect(session.status).toBe(SessionStatus.Unchanged);
    session.renew();
    expect(session.status).toBe(SessionStatus.Renewed);
  });

  test('session_entries', () => {
    // The Rust test asserts nothing; this port checks what it reads.
    const session = new Session();
    session.insert('test_str', 'val');
    session.insert('test_num', 1);
    const entries = session.entries();
    expect(Object.hasOwn(entries, 'test_str')).toBe(true);
    expect(Object.hasOwn(entries, 'test_num')).toBe(true);
    expect(entries).toEqual({ test_str: 'val', test_num: 1 });
  });

  test('session_contains_key', () => {
    const session = new Session();
    session.insert('test_str', 'val');
    session.insert('test_str', 1);
    expect(session.containsKey('test_str')).toBe(true);
    expect(session.containsKey('test_num')).toBe(false);
  });

  test('insert_session_after_renew', () => {
    const session = new Session();
    session.insert('test_val', 'val');
    expect(session.status).toBe(SessionStatus.Changed);
    session.renew();
    expect(session.status).toBe(SessionStatus.Renewed);
    session.insert('test_val2', 'val');
    expect(session.status).toBe(SessionStatus.Renewed);
  });

  test('update_session', () => {
    const session = new Session();
    session.update<number>('test_val', (n) => n + 1);
    expect(session.status).toBe(SessionStatus.Unchanged);
    session.insert('test_val', 0);
    expect(session.status).toBe(SessionStatus.Changed);
    session.update<number>('test_val', (n) => n + 1);
    expect(session.get('test_val')).toBe(1);
    session.update<number>('test_val', (n) => n + 1);
    expect(session.get('test_val')).toBe(2);
  });

  test('update_or_session', () => {
    const session = new Session();
    session.updateOr<number>('test_val', 1, (n) => n + 1);
    expect(session.status).toBe(SessionStatus.Changed);
    expect(session.get('test_val')).toBe(1);
    session.updateOr<number>('test_val', 1, (n) => n + 1);
    expect(session.get('test_val')).toBe(2);
  });

  test('remove_session_after_renew', () => {
    const session = new Session();
    session.insert('test_val', 'val');
    expect(session.remove('test_val')).toBe('val');
    expect(session.status).toBe(SessionStatus.Changed);
    session.renew();
    session.insert('test_val', 'val');
    session.remove('test_val');
    expect(session.status).toBe(SessionStatus.Renewed);
  });

  test('clear_session_after_renew', () => {
    const session = new Session();
    session.clear();
    expect(session.status).toBe(SessionStatus.Changed);
    session.renew();
    expect(session.status).toBe(SessionStatus.Renewed);
    session.clear();
    expect(session.status).toBe(SessionStatus.Renewed);
  });
});

describe('status precedence (reference §2.3): purged > renewed > changed > unchanged', () => {
  const ops: Record<string, (s: Session) => void> = {
    insert: (s) => s.insert('k', 1),
    remove: (s) => s.remove('k'),
    clear: (s) => s.clear(),
    update: (s) => s.update<number>('k', (n) => n + 1),
    updateOr: (s) => s.updateOr<number>('k', 1, (n) => n + 1),
    renew: (s) => s.renew(),
    purge: (s) => s.purge(),
  };
  const reach: Record<SessionStatus, (s: Session) => void> = {
    unchanged: () => undefined,
    changed: (s) => s.insert('k', 0),
    renewed: (s) => {
      s.insert('k', 0);
      s.renew();
    },
    purged: (s) => s.purge(),
  };
  // Expected status after each op, from each starting status. `update` marks the session changed
  // (DESIGN improvement 1); on a missing key it is a no-op.
  const table: Record<SessionStatus, Record<string, SessionStatus>> = {
    unchanged: { insert: 'changed', remove: 'changed', clear: 'changed', update: 'unchanged', updateOr: 'changed', renew: 'renewed', purge: 'purged' },
    changed: { insert: 'changed', remove: 'changed', clear: 'changed', update: 'changed', updateOr: 'changed', renew: 'renewed', purge: 'purged' },
    renewed: { insert: 'renewed', remove: 'renewed', clear: 'renewed', update: 'renewed', updateOr: 'renewed', renew: 'renewed', purge: 'purged' },
    purged: { insert: 'purged', remove: 'purged', clear: 'purged', update: 'purged', updateOr: 'purged', renew: 'purged', purge: 'purged' },
  };
  for (const from of Object.keys(table) as SessionStatus[]) {
    for (const [op, expected] of Object.entries(table[from])) {
      test(`${from} --${op}--> ${expected}`, () => {
        const session = new Session();
        reach[from](session);
        ops[op]!(session);
        expect(session.status).toBe(expected);
      });
    }
  }

  test('writes after purge change nothing, neither state nor status', () => {
    const session = new Session();
    session.insert('a', 1);
    session.purge();
    session.insert('b', 2);
    session.updateOr('c', 3, (n: number) => n);
    expect(session.remove('b')).toBeUndefined();
    session.renew();
    expect(session.entries()).toEqual({});
    expect(session.status).toBe(SessionStatus.Purged);
  });
});

describe('update marks the session changed (DESIGN improvement 1)', () => {
  test('an update on an existing key moves an unchanged (loaded) session to changed', () => {
    const session = new Session();
    sessionInternals().setState(session, Object.assign(Object.create(null), { n: 1 }));
    expect(session.status).toBe(SessionStatus.Unchanged);
    session.update<number>('n', (n) => n + 1);
    expect(session.get('n')).toBe(2);
    expect(session.status).toBe(SessionStatus.Changed);
  });

  test('update does not call fn when the key is absent', () => {
    const session = new Session();
    const fn = jest.fn((n: number) => n + 1);
    session.update('missing', fn);
    expect(fn).not.toHaveBeenCalled();
  });

  test('an exception thrown by fn propagates and leaves the session untouched', () => {
    const session = new Session();
    session.insert('n', 1);
    expect(() =>
      session.update('n', () => {
        throw new RangeError('boom');
      }),
    ).toThrow(RangeError);
    expect(session.get('n')).toBe(1);
  });
});

describe('values are JSON copies', () => {
  test('insert stores a copy: later mutation of the argument does not leak in', () => {
    const session = new Session();
    const cart = { items: [1] };
    session.insert('cart', cart);
    cart.items.push(2);
    expect(session.get('cart')).toEqual({ items: [1] });
  });

  test('get returns a copy: mutating it does not change the session', () => {
    const session = new Session();
    session.insert('cart', { items: [1] });
    session.get<{ items: number[] }>('cart')!.items.push(2);
    expect(session.get('cart')).toEqual({ items: [1] });
  });

  test('entries() is a deep-frozen snapshot', () => {
    const session = new Session();
    session.insert('cart', { items: [1] });
    const entries = session.entries() as { cart: { items: number[] } };
    expect(Object.isFrozen(entries)).toBe(true);
    expect(Object.isFrozen(entries.cart.items)).toBe(true);
    expect(() => entries.cart.items.push(2)).toThrow(TypeError);
  });

  test('Dates become ISO strings and undefined properties are left out, as in JSON', () => {
    const session = new Session();
    session.insert('v', { at: new Date(0), optional: undefined, n: -0 });
    expect(session.get('v')).toEqual({ at: '1970-01-01T00:00:00.000Z', n: 0 });
  });

  test.each([
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a bigint', 10n],
    ['undefined', undefined],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a Map', new Map([[1, 2]])],
    ['a Set', new Set([1])],
    ['a typed array', new Uint8Array(2)],
    ['a nested function', { a: { b: () => 1 } }],
    ['undefined in an array', [1, undefined]],
  ])('insert rejects %s with SessionInsertError and leaves the session unchanged', (_label, value) => {
    const session = new Session();
    // `unknown` skips the compile-time check (json-input.test.ts): this is the run-time one.
    expect(() => session.insert('k', value as unknown)).toThrow(SessionInsertError);
    expect(session.status).toBe(SessionStatus.Unchanged);
    expect(session.containsKey('k')).toBe(false);
  });

  test('insert rejects cycles and says where', () => {
    const session = new Session();
    const a: Record<string, unknown> = { list: [] };
    (a.list as unknown[]).push(a);
    const error = (() => {
      try {
        session.insert('a', a);
      } catch (e) {
        return e as SessionInsertError;
      }
      throw new Error('did not throw');
    })();
    expect(error).toBeInstanceOf(SessionInsertError);
    expect(error.code).toBe('SESSION_INSERT');
    expect(error.key).toBe('a');
    expect(error.message).toContain('list[0]');
    expect(error.message).toContain('cycle');
  });

  test('a shared (non-cyclic) object reference is fine', () => {
    const session = new Session();
    const shared = { x: 1 };
    session.insert('v', { a: shared, b: shared });
    expect(session.get('v')).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  test('update rejects a non-JSON result with SessionUpdateError', () => {
    const session = new Session();
    session.insert('n', 1);
    expect(() => session.update('n', () => Number.NaN)).toThrow(SessionUpdateError);
    expect(session.get('n')).toBe(1);
  });

  test('updateOr rejects a non-JSON default with SessionUpdateError', () => {
    const session = new Session();
    // @ts-expect-error a bigint default does not compile either (json-input.test.ts)
    expect(() => session.updateOr('n', 5n, (n) => n)).toThrow(SessionUpdateError);
    expect(session.containsKey('n')).toBe(false);
  });
});

describe('Standard Schema validation', () => {
  test('get(key, schema) returns the schema output', () => {
    const session = new Session();
    session.insert('user', { id: '42', name: 'Ferris' });
    const user = session.get('user', z.object({ id: z.coerce.number(), name: z.string() }));
    expect(user).toEqual({ id: 42, name: 'Ferris' });
  });

  test('get(key, schema) returns undefined for a missing key without validating', () => {
    const session = new Session();
    expect(session.get('user', z.string())).toBeUndefined();
  });

  test('get(key, schema) throws SessionGetError with the issues on a mismatch', () => {
    const session = new Session();
    session.insert('user', 42);
    let error: unknown;
    try {
      session.get('user', z.string());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SessionGetError);
    expect((error as SessionGetError).code).toBe('SESSION_GET');
    expect((error as SessionGetError).key).toBe('user');
    expect((error as SessionGetError).issues.length).toBeGreaterThan(0);
  });

  test('an asynchronous schema is refused, not awaited', () => {
    const session = new Session();
    session.insert('n', 1);
    const asyncSchema = z.number().refine(async () => true);
    expect(() => session.get('n', asyncSchema)).toThrow(SessionGetError);
  });

  test('something that is not a Standard Schema is a TypeError', () => {
    const session = new Session();
    session.insert('n', 1);
    expect(() => session.get('n', {} as never)).toThrow(TypeError);
  });

  test('removeAs returns undefined when absent, the value when valid, the raw value when not', () => {
    const session = new Session();
    expect(session.removeAs('flash', z.string())).toBeUndefined();
    session.insert('flash', 'saved');
    expect(session.removeAs('flash', z.string())).toEqual({ ok: true, value: 'saved' });
    session.insert('flash', 7);
    const result = session.removeAs('flash', z.string());
    expect(result?.ok).toBe(false);
    expect(result?.ok === false && result.raw).toBe(7);
    expect(session.containsKey('flash')).toBe(false);
    expect(session.status).toBe(SessionStatus.Changed);
  });
});
