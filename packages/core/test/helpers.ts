import { parseSetCookie } from 'cookie';
import type { SessionKey, SessionState, SessionStore } from '../src/index.js';

/** One store call, as recorded by {@link RecordingStore}. */
export type StoreCall =
  | { op: 'load'; key: SessionKey }
  | { op: 'save'; ttlSeconds: number; state: Record<string, unknown> }
  | { op: 'update'; key: SessionKey; ttlSeconds: number; state: Record<string, unknown> }
  | { op: 'updateTtl'; key: SessionKey; ttlSeconds: number }
  | { op: 'delete'; key: SessionKey };

/** Wraps a store and records every call made to it, in order. */
export class RecordingStore implements SessionStore {
  readonly calls: StoreCall[] = [];

  constructor(readonly inner: SessionStore) {}

  /** The operation names, e.g. `['load', 'update']`. */
  get ops(): string[] {
    return this.calls.map((call) => call.op);
  }

  reset(): void {
    this.calls.length = 0;
  }

  load(key: SessionKey): Promise<SessionState | null> {
    this.calls.push({ op: 'load', key });
    return this.inner.load(key);
  }
  save(state: SessionState, ttlSeconds: number): Promise<SessionKey> {
    this.calls.push({ op: 'save', ttlSeconds, state: { ...state } });
    return this.inner.save(state, ttlSeconds);
  }
  update(key: SessionKey, state: SessionState, ttlSeconds: number): Promise<SessionKey | null> {
    this.calls.push({ op: 'update', key, ttlSeconds, state: { ...state } });
    return this.inner.update(key, state, ttlSeconds);
  }
  updateTtl(key: SessionKey, ttlSeconds: number): Promise<void> {
    this.calls.push({ op: 'updateTtl', key, ttlSeconds });
    return this.inner.updateTtl(key, ttlSeconds);
  }
  delete(key: SessionKey): Promise<boolean | void> {
    this.calls.push({ op: 'delete', key });
    return this.inner.delete(key);
  }
}

/** A Set-Cookie header value parsed into its parts (the value stays percent-encoded). */
export function parseCookie(header: string) {
  return parseSetCookie(header, { decode: (value) => value });
}

/** The `name=value` pair a browser would send back for a Set-Cookie header. */
export function pairOf(header: string): string {
  return header.split(';', 1)[0] as string;
}

/** A random-ish, valid-looking cookie value that no key sealed. */
export function forged(length: number): string {
  return 'A'.repeat(length);
}
