import * as core from '@sess/core';
import type Koa from 'koa';
import * as adapter from '../src/index.js';

// The public surface, listed so that any change shows up in review (h3's package test).
test('the export names of @sess/koa', () => {
  expect(Object.keys(adapter).sort()).toEqual([
    'CookieSessionStore',
    'Key',
    'LoadError',
    'MemoryOwnerRevocations',
    'MemorySessionStore',
    'SaveError',
    'Session',
    'SessionConfigError',
    'SessionError',
    'SessionGetError',
    'SessionInsertError',
    'SessionStatus',
    'SessionUpdateError',
    'UpdateError',
    'browserSession',
    'isStoreFailure',
    'persistentSession',
    'sessionMiddleware',
  ]);
});

test('re-exports are @sess/core’s own values, not wrappers', () => {
  for (const name of Object.keys(adapter)) {
    if (name !== 'sessionMiddleware') expect(adapter[name as keyof typeof adapter]).toBe(core[name as keyof typeof core]);
  }
});

test('ctx.session is typed as a Session in every Koa context type', () => {
  type IsAny<T> = 0 extends 1 & T ? true : false;
  // What `app.use((ctx) => …)` gives, and the named Context type.
  const notAny: [IsAny<Koa.ParameterizedContext['session']>, IsAny<Koa.Context['session']>] = [false, false];
  const typed: Koa.ParameterizedContext<{ user: string }>['session'] extends adapter.Session ? true : false = true;
  expect([notAny, typed]).toEqual([[false, false], true]);
});
