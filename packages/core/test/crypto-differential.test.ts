import fc from 'fast-check';
import { createCookieCodec, type CookieCodec, type ContentSecurity, type OpenResult } from '../src/cookie-codec.js';
import { CookieSessionStore, createSessionManager, Key } from '../src/index.js';
import { findNodeCrypto, type NodeCrypto } from '../src/node-crypto.js';
import { hideBuiltinModules } from './crypto-backend.js';
import { pairOf } from './helpers.js';

// The two cookie-codec backends (node:crypto, synchronous; Web Crypto, promises) must be
// interchangeable on the wire: a value sealed by either opens with the other, in both modes,
// under key rotation, and any altered value gets the same answer from both.

const RUNS = { numRuns: 200 };
// The module itself (an `import * as` would be a copy made by the CommonJS interop).
const nodeCrypto = process.getBuiltinModule('node:crypto');
const node = findNodeCrypto() as NodeCrypto;
const modes: readonly ContentSecurity[] = ['private', 'signed'];
const keyBytes = fc.uint8Array({ minLength: 64, maxLength: 64 }).map((bytes) => Key.from(bytes));
const cookieName = fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/);
// Session keys and cookie-store states: any text, multi-byte characters included.
const plaintext = fc.string({ unit: 'binary', maxLength: 300 });

function codecs(name: string, keys: Key[], mode: ContentSecurity): Record<'node' | 'web', CookieCodec> {
  return { node: createCookieCodec(name, keys, mode, node), web: createCookieCodec(name, keys, mode, null) };
}

test('this Node hands out node:crypto synchronously, and the node codec never returns a promise', () => {
  expect(node).toBeDefined();
  const { node: codec } = codecs('id', [Key.generate()], 'private');
  const sealed = codec.seal('abc');
  expect(sealed).not.toBeInstanceOf(Promise);
  expect(codec.open(sealed as string)).toEqual({ ok: true, plaintext: 'abc', keyIndex: 0 });
});

describe.each(modes)('%s', (mode) => {
  test('sealed by either backend, opened by the other, with the same plaintext', async () => {
    await fc.assert(
      fc.asyncProperty(cookieName, keyBytes, plaintext, async (name, key, text) => {
        const { node: n, web: w } = codecs(name, [key], mode);
        const expected: OpenResult = { ok: true, plaintext: text, keyIndex: 0 };
        expect(await w.open(n.seal(text) as string)).toEqual(expected);
        expect(n.open(await w.seal(text))).toEqual(expected);
      }),
      RUNS,
    );
  });

  test('key rotation: a value sealed under an older key opens with its index, across backends', async () => {
    await fc.assert(
      fc.asyncProperty(keyBytes, keyBytes, plaintext, fc.boolean(), async (current, old, text, nodeSeals) => {
        const sealer = codecs('id', [old], mode)[nodeSeals ? 'node' : 'web'];
        const opener = codecs('id', [current, old], mode)[nodeSeals ? 'web' : 'node'];
        expect(await opener.open(await sealer.seal(text))).toEqual({ ok: true, plaintext: text, keyIndex: 1 });
        // A list without the old key rejects it, on both backends.
        const strangers = codecs('id', [current], mode);
        const value = await sealer.seal(text);
        expect(strangers.node.open(value)).toEqual({ ok: false, reason: 'unauthenticated' });
        expect(await strangers.web.open(value)).toEqual({ ok: false, reason: 'unauthenticated' });
      }),
      { numRuns: 60 },
    );
  });

  test('tampering: any altered value gets the same answer from both backends, never a success', async () => {
    const key = Key.generate();
    const both = codecs('id', [key], mode);
    await fc.assert(
      fc.asyncProperty(plaintext, fc.nat(), fc.string({ minLength: 1, maxLength: 3 }), async (text, at, insert) => {
        const value = both.node.seal(text) as string;
        const position = at % (value.length + 1);
        for (const altered of [
          value.slice(0, position) + insert + value.slice(position + 1),
          value.slice(0, position) + value.slice(position + 1),
          value.slice(0, position) + insert + value.slice(position),
        ]) {
          if (altered === value) continue;
          const fromNode = both.node.open(altered);
          expect(await both.web.open(altered)).toEqual(fromNode);
          // A signed value's text is readable, so dropping or inserting outside it can still be
          // the same sealed text only if the value is unchanged, which was excluded above.
          expect(fromNode).toMatchObject({ ok: false });
        }
      }),
      RUNS,
    );
  });

  test('a value sealed under another cookie name does not open (the name is bound in), on both backends', async () => {
    const key = Key.generate();
    const value = codecs('id', [key], mode).web.seal('k');
    const other = codecs('other', [key], mode);
    const result = (await other.node.open(await value)) as OpenResult;
    expect(await other.web.open(await value)).toEqual(result);
    expect(result.ok).toBe(mode === 'signed');
  });
});

describe('backend selection', () => {
  test('a manager created where getBuiltinModule exists opens an unseen cookie without a promise; without it, with one', async () => {
    const key = Key.generate();
    const issuer = createSessionManager({ store: new CookieSessionStore(), key });
    const rs = await issuer.load(undefined);
    rs.session.insert('n', 1);
    const cookie = pairOf((await issuer.commit(rs))[0]!);
    const onNode = createSessionManager({ store: new CookieSessionStore(), key }).load(cookie);
    expect(onNode).not.toBeInstanceOf(Promise);
    const restore = hideBuiltinModules();
    let onWeb: ReturnType<typeof issuer.load>;
    try {
      onWeb = createSessionManager({ store: new CookieSessionStore(), key }).load(cookie);
    } finally {
      restore();
    }
    expect(onWeb).toBeInstanceOf(Promise);
    expect((await onWeb).session.entries()).toEqual({ n: 1 });
  });

  test('findNodeCrypto: undefined without getBuiltinModule, when it throws, or when members are missing', () => {
    const restore = hideBuiltinModules();
    try {
      expect(findNodeCrypto()).toBeUndefined();
    } finally {
      restore();
    }
    const spy = jest.spyOn(process, 'getBuiltinModule');
    try {
      spy.mockImplementation(() => {
        throw new Error('not here');
      });
      expect(findNodeCrypto()).toBeUndefined();
      spy.mockReturnValue({ createHmac: nodeCrypto.createHmac });
      expect(findNodeCrypto()).toBeUndefined();
      spy.mockReturnValue(undefined);
      expect(findNodeCrypto()).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    expect(findNodeCrypto()).toBe(nodeCrypto);
  });
});
