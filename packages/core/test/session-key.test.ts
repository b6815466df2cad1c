import {
  generateSessionKey,
  GENERATED_SESSION_KEY_LENGTH,
  isValidSessionKey,
  SESSION_KEY_MAX_BYTES,
  SessionError,
  toSessionKey,
} from '../src/index.js';

describe('SessionKey limits (actix-session session_key.rs doc test)', () => {
  test('a 4065-character key is rejected', () => {
    expect(isValidSessionKey('a'.repeat(4065))).toBe(false);
    expect(() => toSessionKey('a'.repeat(4065))).toThrow(SessionError);
    try {
      toSessionKey('a'.repeat(4065));
    } catch (error) {
      expect((error as SessionError).code).toBe('INVALID_SESSION_KEY');
      expect((error as Error).message).toContain('4064');
    }
  });

  test('exactly 4064 bytes is accepted; the empty string too (actix has no lower bound)', () => {
    expect(SESSION_KEY_MAX_BYTES).toBe(4064);
    expect(toSessionKey('a'.repeat(4064))).toHaveLength(4064);
    expect(isValidSessionKey('')).toBe(true);
  });

  test('the limit counts UTF-8 bytes, not UTF-16 units', () => {
    // 'é' is 2 bytes, '😀' is 4 bytes (2 UTF-16 units).
    expect(isValidSessionKey('é'.repeat(2032))).toBe(true);
    expect(isValidSessionKey('é'.repeat(2033))).toBe(false);
    expect(isValidSessionKey('😀'.repeat(1016))).toBe(true);
    expect(isValidSessionKey('😀'.repeat(1017))).toBe(false);
    expect(isValidSessionKey(`${'a'.repeat(4062)}é`)).toBe(true);
    expect(isValidSessionKey(`${'a'.repeat(4063)}é`)).toBe(false);
  });

  test('non-strings are not session keys', () => {
    expect(isValidSessionKey(42)).toBe(false);
    expect(() => toSessionKey(null)).toThrow('must be a string');
  });
});

describe('generateSessionKey', () => {
  test('gives 64 characters of [A-Za-z0-9]', () => {
    for (let i = 0; i < 200; i++) {
      const key = generateSessionKey();
      expect(key).toHaveLength(GENERATED_SESSION_KEY_LENGTH);
      expect(key).toMatch(/^[A-Za-z0-9]{64}$/);
    }
  });

  test('keys do not repeat', () => {
    const keys = new Set(Array.from({ length: 10_000 }, generateSessionKey));
    expect(keys.size).toBe(10_000);
  });

  test('every one of the 62 symbols is about equally likely (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const samples = 2_000;
    for (let i = 0; i < samples; i++) {
      for (const c of generateSessionKey()) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = (samples * 64) / 62;
    // Chi-squared with 61 degrees of freedom: 110 is far beyond the 99.99th percentile (~104),
    // while a `byte % 62` bias (symbols 0–7 drawn 5/4 as often) scores in the thousands.
    let chi2 = 0;
    for (const count of counts.values()) chi2 += (count - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(110);
  });
});
