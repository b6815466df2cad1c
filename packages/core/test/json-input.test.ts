import { Session, SessionInsertError, SessionUpdateError, type JsonInput } from '../src/index.js';

// Each `@ts-expect-error` below is checked by `pnpm typecheck` (test/tsconfig.json): the value
// fails to compile, and jest shows that it would also fail at run time. Before values were typed
// as JSON, every one of these compiled.

interface User {
  id: string;
  name?: string;
  since: Date;
  roles: readonly string[];
}

describe('values typed as JSON (JsonInput)', () => {
  test('insert: functions, bigints, undefined, symbols, Maps and Sets do not compile', () => {
    const session = new Session();
    // @ts-expect-error a bigint is not JSON
    expect(() => session.insert('n', 10n)).toThrow(SessionInsertError);
    // @ts-expect-error a function is not JSON
    expect(() => session.insert('f', () => 1)).toThrow(SessionInsertError);
    // @ts-expect-error undefined is not JSON
    expect(() => session.insert('u', undefined)).toThrow(SessionInsertError);
    // @ts-expect-error a symbol is not JSON
    expect(() => session.insert('s', Symbol('s'))).toThrow(SessionInsertError);
    // @ts-expect-error a Map would become {}
    expect(() => session.insert('m', new Map([['a', 1]]))).toThrow(SessionInsertError);
    // @ts-expect-error a Set would become {}
    expect(() => session.insert('set', new Set([1]))).toThrow(SessionInsertError);
    // @ts-expect-error nested too: a bigint inside an object
    expect(() => session.insert('user', { id: 1n })).toThrow(SessionInsertError);
    // @ts-expect-error undefined inside an array
    expect(() => session.insert('list', [1, undefined])).toThrow(SessionInsertError);
    expect(session.status).toBe('unchanged');
  });

  test('insert: interfaces, optional fields, Dates, readonly arrays and unknown still compile', () => {
    const session = new Session();
    const user: User = { id: 'ferris', since: new Date(0), roles: ['admin'] };
    session.insert('user', user);
    const fromBody: unknown = { free: 'form' };
    session.insert('body', fromBody);
    session.insert('n', 1);
    session.insert('nothing', null);
    expect(session.entries()).toEqual({
      user: { id: 'ferris', since: '1970-01-01T00:00:00.000Z', roles: ['admin'] },
      body: { free: 'form' },
      n: 1,
      nothing: null,
    });
  });

  test('update and updateOr: a non-JSON result does not compile', () => {
    const session = new Session();
    session.insert('n', 1);
    // @ts-expect-error a bigint result is not JSON
    expect(() => session.update('n', (n: number) => BigInt(n))).toThrow(SessionUpdateError);
    // @ts-expect-error a bigint default is not JSON
    expect(() => session.updateOr('big', 1n, (n) => n + 1n)).toThrow(SessionUpdateError);
    session.updateOr('n', 0, (n: number) => n + 1);
    session.update<User['roles']>('roles', (roles) => [...roles, 'x']);
    expect(session.get('n')).toBe(2);
  });

  test('JsonInput maps a type to what JSON keeps', () => {
    const ok: JsonInput<User> = { id: 'a', since: new Date(0), roles: [] };
    // @ts-expect-error a function-valued property is never
    const bad: JsonInput<{ run: () => void }> = { run: () => undefined };
    expect([ok.id, typeof bad.run]).toEqual(['a', 'function']);
  });
});
