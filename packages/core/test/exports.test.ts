import * as core from '../src/index.js';

// The public surface, listed so that any change to it shows up in review (h3's package test).
test('the export names of @sess/core', () => {
  expect(Object.keys(core).sort()).toEqual([
    'COOKIE_MAX_BYTES',
    'CookieSessionStore',
    'EXPIRED_NOTICE_SECONDS',
    'GENERATED_SESSION_KEY_LENGTH',
    'KEY_BYTES',
    'Key',
    'LoadError',
    'MASTER_KEY_MIN_BYTES',
    'MemoryOwnerRevocations',
    'MemorySessionStore',
    'SESSION_KEY_MAX_BYTES',
    'STATE_FORMAT_VERSION',
    'SaveError',
    'Session',
    'SessionConfigError',
    'SessionError',
    'SessionGetError',
    'SessionInsertError',
    'SessionStatus',
    'SessionUpdateError',
    'UpdateError',
    'WRITE_BUDGET',
    'browserSession',
    'createDuplicateCheck',
    'createSessionManager',
    'deserializeState',
    'generateSessionKey',
    'isStoreFailure',
    'isValidSessionKey',
    'persistentSession',
    'serializeState',
    'sessionMetaOf',
    'toSessionKey',
    'withSessionMeta',
  ]);
});

test('SessionStatus values', () => {
  expect(core.SessionStatus).toEqual({ Unchanged: 'unchanged', Changed: 'changed', Renewed: 'renewed', Purged: 'purged' });
  // Shared by every importer: it must not be possible to reassign a status for everyone.
  expect(Object.isFrozen(core.SessionStatus)).toBe(true);
  expect(() => {
    (core.SessionStatus as { Changed: string }).Changed = 'unchanged';
  }).toThrow(TypeError);
  expect(core.SessionStatus.Changed).toBe('changed');
});

test('every error class extends SessionError and Error, with its own name', () => {
  const errors = [
    new core.SessionConfigError('x', 'y'),
    new core.SessionGetError('k', 'm'),
    new core.SessionInsertError('k', 'm'),
    new core.SessionUpdateError('k', 'm'),
    new core.LoadError('other'),
    new core.SaveError('serialization'),
    new core.UpdateError('other'),
  ];
  for (const error of errors) {
    expect(error).toBeInstanceOf(core.SessionError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(error.constructor.name);
    expect(error.status).toBe(500);
  }
  // actix-session's Display strings are the default messages.
  expect(new core.LoadError('deserialization').message).toBe('Failed to deserialize session state');
  expect(new core.LoadError('other').message).toBe('Something went wrong when retrieving the session state');
  expect(new core.SaveError('other').message).toBe('Something went wrong when persisting the session state');
  expect(new core.UpdateError('other').message).toBe('Something went wrong when updating the session state.');
});
