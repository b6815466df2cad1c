import * as core from '@sess/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as adapter from '../src/index.js';

// The public surface, listed so that any change shows up in review (h3's package test).
test('the export names of @sess/fastify', () => {
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
    'persistentSession',
    'sessionPlugin',
  ]);
});

test('re-exports are @sess/core’s own values, not wrappers', () => {
  for (const name of Object.keys(adapter)) {
    if (name !== 'sessionPlugin') expect(adapter[name as keyof typeof adapter]).toBe(core[name as keyof typeof core]);
  }
});

test('request.session and app.sessionOwners are typed by declaration merging', () => {
  type IsAny<T> = 0 extends 1 & T ? true : false;
  const notAny: [IsAny<FastifyRequest['session']>, IsAny<FastifyInstance['sessionOwners']>] = [false, false];
  const typed: [FastifyRequest['session'] extends adapter.Session ? true : false, FastifyInstance['sessionOwners'] extends adapter.SessionOwners ? true : false] = [
    true,
    true,
  ];
  expect([notAny, typed]).toEqual([[false, false], [true, true]]);
});
