import { randomBytes } from 'node:crypto';

/** The database of the shared Redis that these tests own (and may empty). */
export const SHARED_DB = 1;

/** `REDIS_URL` (default `redis://127.0.0.1:6379`) pointed at database `db`. */
export function sharedRedisUrl(db: number = SHARED_DB): string {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  url.pathname = `/${db}`;
  return url.toString();
}

/**
 * A key prefix no other test file or run uses, safe inside a `SCAN MATCH` pattern (letters,
 * digits and colons only), so tests on the shared database can count and delete their own keys.
 */
export function uniquePrefix(label: string): string {
  return `sess-test:${label}:${randomBytes(6).toString('hex')}:`;
}
