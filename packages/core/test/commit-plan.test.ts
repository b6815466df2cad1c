import { planCommit, unchangedPlan, type CommitInput, type CommitPlan, type PlanPolicy } from '../src/commit-plan.js';
import { SessionStatus } from '../src/index.js';

// The decision table (reference §4.3 and DESIGN's improvements), asked of the pure commit plan
// directly: every combination of what was loaded, what the handler did, the response status and
// the extension policy. decision-table.test.ts runs the same rows end to end through a store.

const browser: PlanPolicy = { everyRequest: false, persistent: false, idle: false };
const browserEvery: PlanPolicy = { everyRequest: true, persistent: false, idle: false };
const persistentEvery: PlanPolicy = { everyRequest: true, persistent: true, idle: false };

const input = (overrides: Partial<Omit<CommitInput, 'loaded'>> & { loaded?: Partial<CommitInput['loaded']> }): CommitInput => ({
  status: SessionStatus.Unchanged,
  stateEmpty: true,
  responseStatus: 200,
  touchDue: false,
  policy: browser,
  ...overrides,
  loaded: { hasKey: false, cookiePresent: false, rotated: false, expired: false, ...overrides.loaded },
});

const rows: [string, CommitInput, CommitPlan][] = [
  ['no key, nothing written', input({}), { kind: 'nothing', cookie: 'none' }],
  ['no key, state written', input({ status: SessionStatus.Changed, stateEmpty: false }), { kind: 'save' }],
  ['no key, renewed with state: saved (status ignored, as actix)', input({ status: SessionStatus.Renewed, stateEmpty: false }), { kind: 'save' }],
  ['no key, changed but emptied', input({ status: SessionStatus.Changed }), { kind: 'nothing', cookie: 'none' }],
  ['no key, purged, no cookie came', input({ status: SessionStatus.Purged }), { kind: 'nothing', cookie: 'none' }],
  ['no key, purged, a cookie came (improvement 2)', input({ status: SessionStatus.Purged, loaded: { cookiePresent: true } }), { kind: 'nothing', cookie: 'removal' }],
  ['key, changed', input({ status: SessionStatus.Changed, loaded: { hasKey: true, cookiePresent: true } }), { kind: 'update' }],
  ['key, changed to empty: still updated', input({ status: SessionStatus.Changed, stateEmpty: true, loaded: { hasKey: true, cookiePresent: true } }), { kind: 'update' }],
  ['key, purged', input({ status: SessionStatus.Purged, loaded: { hasKey: true, cookiePresent: true } }), { kind: 'delete' }],
  ['key, renewed', input({ status: SessionStatus.Renewed, loaded: { hasKey: true, cookiePresent: true } }), { kind: 'renew' }],
  ['key, unchanged, on-state-changes', input({ loaded: { hasKey: true, cookiePresent: true } }), { kind: 'nothing', cookie: 'none' }],
  ['key, unchanged, on-every-request, browser', input({ policy: browserEvery, loaded: { hasKey: true, cookiePresent: true } }), { kind: 'extend', updateTtl: true, resendCookie: false }],
  ['key, unchanged, on-every-request, persistent', input({ policy: persistentEvery, loaded: { hasKey: true, cookiePresent: true } }), { kind: 'extend', updateTtl: true, resendCookie: true }],
  ['key, unchanged, rotated', input({ loaded: { hasKey: true, cookiePresent: true, rotated: true } }), { kind: 'extend', updateTtl: false, resendCookie: true }],
  ['key, changed, response 500 (improvement 10)', input({ status: SessionStatus.Changed, responseStatus: 500, loaded: { hasKey: true, cookiePresent: true } }), { kind: 'nothing', cookie: 'none' }],
  ['no key, purged, response 503: nothing, not even the removal cookie', input({ status: SessionStatus.Purged, responseStatus: 503, loaded: { cookiePresent: true } }), { kind: 'nothing', cookie: 'none' }],
  ['key, renewed, response 499: persisted', input({ status: SessionStatus.Renewed, responseStatus: 499, loaded: { hasKey: true, cookiePresent: true } }), { kind: 'renew' }],
  ['key, unchanged, touch due (idle timeout)', input({ touchDue: true, loaded: { hasKey: true, cookiePresent: true } }), { kind: 'touch' }],
  ['key, unchanged, idle timeout set, on-every-request: no updateTtl per request', input({ policy: { ...persistentEvery, idle: true }, loaded: { hasKey: true, cookiePresent: true } }), { kind: 'nothing', cookie: 'none' }],
  ['key, unchanged, idle timeout set, rotated: the cookie re-sent', input({ policy: { ...browser, idle: true }, loaded: { hasKey: true, cookiePresent: true, rotated: true } }), { kind: 'extend', updateTtl: false, resendCookie: true }],
  ['expired, nothing written: delete, removal cookie', input({ loaded: { cookiePresent: true, expired: true } }), { kind: 'expire', save: false }],
  ['expired, a login written: delete, save the new state', input({ status: SessionStatus.Renewed, stateEmpty: false, loaded: { cookiePresent: true, expired: true } }), { kind: 'expire', save: true }],
  ['expired, purged: delete, removal cookie', input({ status: SessionStatus.Purged, loaded: { cookiePresent: true, expired: true } }), { kind: 'expire', save: false }],
  ['expired, response 500: nothing', input({ status: SessionStatus.Changed, stateEmpty: false, responseStatus: 500, loaded: { cookiePresent: true, expired: true } }), { kind: 'nothing', cookie: 'none' }],
  ['key, changed, status unknown: persisted', input({ status: SessionStatus.Changed, responseStatus: undefined, loaded: { hasKey: true, cookiePresent: true } }), { kind: 'update' }],
];

test.each(rows)('%s', (_label, given, expected) => {
  expect(planCommit(given)).toEqual(expected);
});

test('every plan is a frozen shared value: a commit allocates no plan', () => {
  const given = input({ status: SessionStatus.Changed, loaded: { hasKey: true } });
  expect(planCommit(given)).toBe(planCommit(given));
  expect(Object.isFrozen(planCommit(given))).toBe(true);
});

test('an unchanged session plans exactly what the load-time check (onCommitNeeded) is told', () => {
  for (const policy of [browser, browserEvery, persistentEvery, { everyRequest: false, persistent: true, idle: false }, { ...persistentEvery, idle: true }]) {
    for (const hasKey of [false, true]) {
      for (const rotated of [false, true]) {
        for (const expired of [false, true]) {
          for (const touchDue of [false, true]) {
            const loaded = { hasKey: hasKey && !expired, cookiePresent: hasKey || rotated || expired, rotated, expired };
            const planned = planCommit({ loaded, status: SessionStatus.Unchanged, stateEmpty: true, responseStatus: 200, touchDue, policy });
            expect(planned).toBe(unchangedPlan(loaded, policy, touchDue));
          }
        }
      }
    }
  }
});
