import { findSessionCookie } from '../src/cookie-header.js';
import { planCommit } from '../src/commit-plan.js';
import {
  browserSession,
  createSessionManager,
  Key,
  MemorySessionStore,
  persistentSession,
  type Session,
  type SessionLifecycle,
  type SessionStore,
} from '../src/index.js';
import { pairOf, RecordingStore } from './helpers.js';

// One path per request (issue 12): the Cookie header is parsed once and the commit decision is
// computed once, whatever the store (in-process with loadSync, or asynchronous like Redis) and
// whatever the handler did. Both functions are wrapped to count their calls.

jest.mock('../src/cookie-header.js', () => {
  const actual = jest.requireActual<typeof import('../src/cookie-header.js')>('../src/cookie-header.js');
  return { ...actual, findSessionCookie: jest.fn(actual.findSessionCookie) };
});
jest.mock('../src/commit-plan.js', () => {
  const actual = jest.requireActual<typeof import('../src/commit-plan.js')>('../src/commit-plan.js');
  return { ...actual, planCommit: jest.fn(actual.planCommit) };
});

const parses = findSessionCookie as jest.MockedFunction<typeof findSessionCookie>;
const plans = planCommit as jest.MockedFunction<typeof planCommit>;

const key = Key.generate();
const oldKey = Key.generate();

const stores: [string, () => SessionStore][] = [
  ['memory store (loadSync)', () => new MemorySessionStore()],
  ['an asynchronous store (load only, like Redis)', () => new RecordingStore(new MemorySessionStore())],
];

const lifecycles: [string, SessionLifecycle][] = [
  ['browser', browserSession()],
  ['persistent, on-every-request', persistentSession({ extensionPolicy: 'on-every-request' })],
];

const handlers: [string, (s: Session) => void][] = [
  ['reads', (s) => void s.get('n')],
  ['writes', (s) => s.updateOr('n', 1, (n: number) => n + 1)],
  ['renews', (s) => s.renew()],
  ['purges', (s) => s.purge()],
];

describe.each(stores)('%s', (_label, makeStore) => {
  describe.each(lifecycles)('%s', (_lifecycle, lifecycle) => {
    test.each(handlers)('a request whose handler %s parses the Cookie header once and plans its commit once', async (_h, handler) => {
      const store = makeStore();
      const manager = createSessionManager({ store, key: [key, oldKey], lifecycle });
      const issuer = createSessionManager({ store, key: oldKey, lifecycle });
      const first = await issuer.load(undefined);
      first.session.insert('n', 1);
      const rotated = pairOf((await issuer.commit(first))[0]!);
      const fresh = await manager.load(undefined);
      fresh.session.insert('n', 1);
      const current = pairOf((await manager.commit(fresh))[0]!);

      for (const header of [`theme=dark; ${current}`, rotated, 'id=forged', 'theme=dark', `id=%FF; ${current}`]) {
        parses.mockClear();
        plans.mockClear();
        const rs = await manager.load(header);
        handler(rs.session);
        await manager.commit(rs, { status: 200 });
        expect({ header, parses: parses.mock.calls.length, plans: plans.mock.calls.length }).toEqual({ header, parses: 1, plans: 1 });
      }
      parses.mockClear();
      plans.mockClear();
      const anonymous = await manager.load(undefined);
      handler(anonymous.session);
      await manager.commit(anonymous);
      // No Cookie header: nothing to parse.
      expect({ parses: parses.mock.calls.length, plans: plans.mock.calls.length }).toEqual({ parses: 0, plans: 1 });
    });
  });
});
