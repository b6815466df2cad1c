/**
 * The one place the core looks for a runtime's synchronous crypto: `node:crypto`, reached through
 * `process.getBuiltinModule` (Node ≥ 20.16, and Bun and Deno where they provide it) when that
 * exists, and nothing otherwise (workerd, browsers). No `import` names it, so the core still
 * compiles with Web types alone and a bundler for the edge finds nothing to resolve; the types
 * below are the few members the codec uses, written out here instead of taken from `@types/node`.
 *
 * Why at all: each `crypto.subtle` call on Node is an asynchronous job on libuv's thread pool,
 * tens of microseconds of CPU, where the same AES-GCM or HMAC through `node:crypto` costs a few.
 */

/** An AES-256-GCM encryption in progress (Node's `Cipher`). */
export interface NodeCipher {
  setAAD(aad: Uint8Array): unknown;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
  getAuthTag(): Uint8Array;
}

/** An AES-256-GCM decryption in progress (Node's `Decipher`); `final` throws on a bad tag. */
export interface NodeDecipher {
  setAAD(aad: Uint8Array): unknown;
  setAuthTag(tag: Uint8Array): unknown;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
}

/** An HMAC in progress (Node's `Hmac`). */
export interface NodeHmac {
  update(data: Uint8Array): NodeHmac;
  digest(): Uint8Array;
}

/** An imported secret key (Node's `KeyObject`), opaque here. */
export type NodeSecretKey = object;

/** The members of `node:crypto` the synchronous codec uses. */
export interface NodeCrypto {
  createSecretKey(key: Uint8Array): NodeSecretKey;
  createCipheriv(algorithm: 'aes-256-gcm', key: NodeSecretKey, iv: Uint8Array, options: { authTagLength: number }): NodeCipher;
  createDecipheriv(algorithm: 'aes-256-gcm', key: NodeSecretKey, iv: Uint8Array, options: { authTagLength: number }): NodeDecipher;
  createHmac(algorithm: 'sha256', key: NodeSecretKey): NodeHmac;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

interface BuiltinModules {
  readonly process?: { readonly getBuiltinModule?: (id: string) => unknown };
}

const MEMBERS = ['createSecretKey', 'createCipheriv', 'createDecipheriv', 'createHmac', 'timingSafeEqual'] as const;

/**
 * `node:crypto` when the runtime hands it out synchronously and it has every member the codec
 * needs; `undefined` otherwise (then the codec uses Web Crypto). Looked up at each call: a
 * manager decides once, when it is created.
 *
 * @example
 * ```ts
 * const backend = findNodeCrypto() // undefined on workerd
 * ```
 */
export function findNodeCrypto(): NodeCrypto | undefined {
  const host = (globalThis as BuiltinModules).process;
  if (typeof host?.getBuiltinModule !== 'function') return undefined;
  let found: unknown;
  try {
    found = host.getBuiltinModule('node:crypto');
  } catch {
    return undefined;
  }
  if (typeof found !== 'object' || found === null) return undefined;
  const candidate = found as Record<string, unknown>;
  return MEMBERS.every((name) => typeof candidate[name] === 'function') ? (found as NodeCrypto) : undefined;
}
