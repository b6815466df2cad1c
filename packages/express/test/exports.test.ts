import * as core from '@sess/core';
import express from 'express';
import * as adapter from '../src/index.js';

// The public surface, listed so that any change shows up in review (h3's package test).
test('the export names of @sess/express', () => {
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

test('req.session is typed as a Session by declaration merging', () => {
  type IsAny<T> = 0 extends 1 & T ? true : false;
  const notAny: IsAny<express.Request['session']> = false;
  const typed: express.Request['session'] extends adapter.Session ? true : false = true;
  expect([notAny, typed]).toEqual([false, true]);
});
