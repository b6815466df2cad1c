import {
  CookieSessionStore,
  createSessionManager,
  Key,
  LoadError,
  type SessionKey,
  type SessionState,
  type SessionStore,
} from '../src/index.js';
import { pairOf, parseCookie } from './helpers.js';

// actix-session's tests/middleware.rs and tests/opaque_errors.rs (reference §10.3), at the level
// of the lifecycle that custom servers use. The same scenarios run over real HTTP against every
// adapter in packages/conformance.

test('cookie_storage', async () => {
  const manager = createSessionManager({
    store: new CookieSessionStore(),
    key: Key.generate(),
    cookie: { path: '/test', domain: 'localhost' },
  });
  // POST /login: insert user_id.
  const login = await manager.load(undefined);
  login.session.insert('user_id', 'id');
  const [loginCookie] = await manager.commit(login);
  const cookie = parseCookie(loginCookie!);
  expect(cookie).toMatchObject({ name: 'id', path: '/test', secure: true, httpOnly: true, domain: 'localhost' });
  expect(cookie.maxAge).toBeUndefined();

  // POST /logout: purge.
  const logout = await manager.load(pairOf(loginCookie!));
  logout.session.purge();
  const [logoutCookie] = await manager.commit(logout);
  expect(parseCookie(logoutCookie!)).toMatchObject({
    name: 'id',
    path: '/test',
    secure: true,
    httpOnly: true,
    maxAge: 0,
    domain: 'localhost',
  });
});

test('errors_are_opaque', async () => {
  class MockStore implements SessionStore {
    async load(): Promise<SessionState | null> {
      throw new LoadError('other', 'My error full of implementation details');
    }
    async save(): Promise<SessionKey> {
      return 'random_value';
    }
    update(): Promise<SessionKey | null> {
      throw new Error('unimplemented');
    }
    updateTtl(): Promise<void> {
      throw new Error('unimplemented');
    }
    delete(): Promise<void> {
      throw new Error('unimplemented');
    }
  }
  const manager = createSessionManager({ store: new MockStore(), key: Key.generate() });
  // POST /create_session goes through the fresh-session save path.
  const create = await manager.load(undefined);
  create.session.insert('user_id', 'id');
  const [cookie] = await manager.commit(create);
  // POST /load_session_with_error: the lifecycle fails before any handler could run.
  const error = (await Promise.resolve(manager.load(pairOf(cookie!))).catch((e: unknown) => e)) as LoadError;
  expect(error).toBeInstanceOf(LoadError);
  expect(error.status).toBe(500);
  expect(error.expose).toBe(false);
  expect(error.message).not.toContain('implementation details');
  expect(String(error.stack)).not.toContain('implementation details');
});
