import { SessionConfigError } from './errors.js';
import { decodeBase64 } from './base64.js';
import { utf8Encoder } from './utf8.js';

/** Bytes a {@link Key} is made of: 32 for HMAC-SHA256 signing, then 32 for AES-256-GCM. */
export const KEY_BYTES = 64;
/** Minimum length of the master secret given to {@link Key.derive}. */
export const MASTER_KEY_MIN_BYTES = 32;

// The HKDF info string of the Rust `cookie` crate's `Key::derive_from`, so a master secret
// shared with an actix-web service yields the same key on both sides.
const DERIVE_INFO = utf8Encoder.encode('COOKIE;SIGNED:HMAC-SHA256;PRIVATE:AEAD-AES-256-GCM');

/**
 * An imported Web Crypto key. Spelled through `crypto.subtle` rather than the DOM's `CryptoKey`
 * name so that code compiled with Node's types alone (no DOM lib) can typecheck this file.
 */
type ImportedKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** Codec-only access to a key's imported Web Crypto keys; deliberately not exported from the package. */
export interface KeyInternals {
  /** The HMAC-SHA256 key (bytes 0..32), imported once and cached. */
  signingKey(key: Key): Promise<ImportedKey>;
  /** The AES-256-GCM key (bytes 32..64), imported once and cached. */
  encryptionKey(key: Key): Promise<ImportedKey>;
  /** The raw HMAC-SHA256 key bytes, for a synchronous crypto backend (not a copy: never write to it). */
  signingBytes(key: Key): Uint8Array<ArrayBuffer>;
  /** The raw AES-256-GCM key bytes, for a synchronous crypto backend (not a copy: never write to it). */
  encryptionBytes(key: Key): Uint8Array<ArrayBuffer>;
}

let internals!: KeyInternals;
let fromForeignBytes!: (bytes: Uint8Array) => Key;

/**
 * The registered symbol under which every copy of `@sess/core` exposes a key's bytes. An app can
 * hold two copies (its CommonJS `require` and an adapter's ESM `import`, or two versions): a
 * `Key` made by one is not an `instanceof` the other's class, and its private fields are
 * unreadable there, so options recognise keys by this brand and rebuild them locally.
 * `Symbol.for` is the one registry shared by every copy within one running program.
 */
const KEY_BRAND = Symbol.for('@sess/core.Key.bytes');

/** A one-line secret generator for the error messages (`openssl rand -base64` alone wraps at 64 characters). */
export const KEY_COMMAND = "openssl rand -base64 64 | tr -d '\\n'";

/**
 * The secret that signs or encrypts session cookies: 64 bytes, split like the Rust `cookie`
 * crate's `Key` (signing key first, encryption key second), so cookies are interchangeable with
 * actix-web services using the same bytes.
 *
 * Create it once at startup from a secret kept out of the code. Pass a list of keys to the
 * session options to rotate: the first one seals, all of them open.
 *
 * @example
 * ```ts
 * // 64+ random bytes kept out of the code, here a base64 secret from the environment:
 * const key = Key.fromBase64(env.SESSION_KEY)
 * // or derived from a 32+ byte master secret shared with an actix-web service:
 * const derived = await Key.derive(masterBytes)
 * ```
 */
export class Key {
  readonly #signing: Uint8Array<ArrayBuffer>;
  readonly #encryption: Uint8Array<ArrayBuffer>;
  #signingKey: Promise<ImportedKey> | undefined;
  #encryptionKey: Promise<ImportedKey> | undefined;

  static {
    internals = {
      signingKey(key) {
        key.#signingKey ??= crypto.subtle.importKey('raw', key.#signing, { name: 'HMAC', hash: 'SHA-256' }, false, [
          'sign',
          'verify',
        ]);
        return key.#signingKey;
      },
      encryptionKey(key) {
        key.#encryptionKey ??= crypto.subtle.importKey('raw', key.#encryption, 'AES-GCM', false, [
          'encrypt',
          'decrypt',
        ]);
        return key.#encryptionKey;
      },
      signingBytes: (key) => key.#signing,
      encryptionBytes: (key) => key.#encryption,
    };
    fromForeignBytes = (bytes) => new Key(bytes);
    // Not enumerable and not in the type: only another copy of this package looks for it.
    Object.defineProperty(Key.prototype, KEY_BRAND, {
      value(this: Key): Uint8Array {
        const bytes = new Uint8Array(KEY_BYTES);
        bytes.set(this.#signing, 0);
        bytes.set(this.#encryption, 32);
        return bytes;
      },
    });
  }

  private constructor(bytes: Uint8Array) {
    // Copies, so later changes to the caller's buffer cannot alter the key.
    this.#signing = bytes.slice(0, 32);
    this.#encryption = bytes.slice(32, KEY_BYTES);
  }

  /**
   * A key of 64 fresh random bytes. Sessions sealed with it die with the process, so use it
   * for tests and demos; production servers load a persistent key with {@link Key.from}.
   *
   * @example
   * ```ts
   * const key = Key.generate()
   * ```
   */
  static generate(): Key {
    return new Key(crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
  }

  /**
   * A key from at least 64 bytes of secret material (the first 64 are used). Throws
   * `SessionConfigError` for anything shorter: a short key is a configuration bug, not
   * something to pad.
   *
   * @example
   * ```ts
   * const key = Key.from(new Uint8Array(secretBytes)) // or Key.fromBase64(secret) for a base64 string
   * ```
   */
  static from(bytes: Uint8Array | ArrayBuffer): Key {
    return new Key(checkedBytes(bytes, KEY_BYTES, 'Key.from', KEY_COMMAND));
  }

  /**
   * A key from a base64 secret of at least 64 bytes, as kept in an environment variable or a
   * `.env` file. Standard or URL-safe alphabet, padding optional; spaces and line breaks are
   * ignored, so the two-line output of `openssl rand -base64 64` works too. Throws
   * `SessionConfigError` for anything else (the message never contains the secret).
   *
   * @example
   * ```ts
   * // SESSION_KEY=$(openssl rand -base64 64 | tr -d '\n')
   * const key = Key.fromBase64(env.SESSION_KEY)
   * ```
   */
  static fromBase64(secret: string): Key {
    if (typeof secret !== 'string') {
      throw new SessionConfigError('Key.fromBase64', `expects a base64 string, not ${secret === undefined ? 'undefined (is the environment variable set?)' : typeof secret}`);
    }
    return new Key(checkedBytes(base64Bytes(secret), KEY_BYTES, 'Key.fromBase64', KEY_COMMAND));
  }

  /**
   * Derives a key from a master secret of at least 32 bytes with HKDF-SHA256 (expand only,
   * the master used as the pseudo-random key), exactly as the Rust `cookie` crate's
   * `Key::derive_from` does.
   *
   * @example
   * ```ts
   * const key = await Key.derive(Uint8Array.from(atob(masterSecret), (c) => c.charCodeAt(0)))
   * ```
   */
  static async derive(master: Uint8Array | ArrayBuffer): Promise<Key> {
    const prk = checkedBytes(master, MASTER_KEY_MIN_BYTES, 'Key.derive', 'openssl rand -base64 32');
    const hmac = await crypto.subtle.importKey('raw', prk, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    // RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) | info | i), two 32-byte blocks for 64 bytes.
    const okm = new Uint8Array(KEY_BYTES);
    let previous = new Uint8Array(0);
    for (let block = 1; block * 32 <= KEY_BYTES; block++) {
      const input = new Uint8Array(previous.length + DERIVE_INFO.length + 1);
      input.set(previous, 0);
      input.set(DERIVE_INFO, previous.length);
      input[input.length - 1] = block;
      previous = new Uint8Array(await crypto.subtle.sign('HMAC', hmac, input));
      okm.set(previous, (block - 1) * 32);
    }
    return new Key(okm);
  }
}

/**
 * `value` as a `Key` of this copy of `@sess/core`: itself, or rebuilt from a key of another copy
 * (recognised by its registered brand, not `instanceof`); `undefined` for anything else.
 */
export function toKey(value: unknown): Key | undefined {
  if (value instanceof Key) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const exportBytes = (value as { [KEY_BRAND]?: unknown })[KEY_BRAND];
  if (typeof exportBytes !== 'function') return undefined;
  const bytes: unknown = exportBytes.call(value);
  return bytes instanceof Uint8Array && bytes.length === KEY_BYTES ? fromForeignBytes(bytes) : undefined;
}

/** Codec-only accessors (see {@link KeyInternals}). */
export function keyInternals(): KeyInternals {
  return internals;
}

/** Decodes lenient base64 (whitespace ignored, either alphabet, padding optional) or throws. */
function base64Bytes(secret: string): Uint8Array {
  const text = secret.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) {
    throw new SessionConfigError('Key.fromBase64', `is not base64 (${text.length} characters after removing spaces and line breaks; only A-Z a-z 0-9 + / - _ and trailing = are allowed)`);
  }
  const bytes = decodeBase64(text + '='.repeat((4 - (text.length % 4)) % 4));
  if (bytes === null) throw new SessionConfigError('Key.fromBase64', 'is not canonical base64: its last character carries stray bits');
  return bytes;
}

function checkedBytes(
  input: Uint8Array | ArrayBuffer,
  minimum: number,
  where: string,
  hint: string,
): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array;
  if (input instanceof Uint8Array) bytes = input;
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else {
    throw new SessionConfigError(
      where,
      `expects a Uint8Array (a Buffer works) or an ArrayBuffer, not ${typeof input === 'string' ? 'a string: use Key.fromBase64(secret) for a base64 secret' : typeof input}`,
    );
  }
  if (bytes.length < minimum) {
    throw new SessionConfigError(
      where,
      `needs at least ${minimum} bytes of secret material, got ${bytes.length}; generate one with \`${hint}\``,
    );
  }
  return bytes.slice();
}
