import { BoundedCache } from './bounded-cache.js';
import type { CookieCodec } from './cookie-codec.js';
import { findSessionCookie } from './cookie-header.js';
import { SaveError, UpdateError } from './errors.js';
import { andThen, type MaybePromise } from './maybe-promise.js';
import { percentEncodeCookieValue } from './percent-encoding.js';
import type { CookieRejectionReason } from './session-event.js';
import { isValidSessionKey, type SessionKey } from './session-key.js';
import type { SetCookieWriter } from './set-cookie.js';

/** What browsers keep of one cookie's `name=value` (RFC 6265 §6.1). */
export const COOKIE_MAX_BYTES = 4096;

/**
 * How many opened cookie values each manager remembers. A browser sends the same sealed value on
 * every request until it changes, and opening it costs a crypto call: remembering the result
 * makes repeated requests of a session free of crypto work.
 */
const OPENED_CACHE_ENTRIES = 1000;

/** What the incoming session cookie held. */
export type IncomingCookie =
  /** No cookie with the session's name. */
  | { readonly kind: 'absent' }
  /** A cookie with the session's name that we did not issue (reported through `rejected`). */
  | { readonly kind: 'rejected' }
  /** A cookie we sealed: the store key it carries, and which key of the list opened it. */
  | { readonly kind: 'opened'; readonly sessionKey: SessionKey; readonly keyIndex: number; readonly value: string };

/** Where the session cookie reports what it rejects. */
export type RejectionListener = (reason: CookieRejectionReason) => void;

const ABSENT: IncomingCookie = Object.freeze({ kind: 'absent' });
const REJECTED: IncomingCookie = Object.freeze({ kind: 'rejected' });

/**
 * The session cookie of one configuration, both ways: reading it from a `Cookie` header (find it,
 * size limit, percent-decoding, opening with the keys, the cache of opened values) and issuing it
 * (sealing a store key within the browser's size budget into a `Set-Cookie` value).
 *
 * @example
 * ```ts
 * const cookies = new SessionCookie(writer, codec, (reason) => report(reason))
 * const incoming = await cookies.read(request.headers.cookie)
 * ```
 */
export class SessionCookie {
  // Keyed by the decoded value: every spelling of one sealed value opens to the same key.
  readonly #opened = new BoundedCache<string, IncomingCookie & { kind: 'opened' }>(OPENED_CACHE_ENTRIES);

  constructor(
    readonly writer: SetCookieWriter,
    private readonly codec: CookieCodec,
    private readonly rejected: RejectionListener,
  ) {}

  /** The removal cookie. */
  get removal(): string {
    return this.writer.removal;
  }

  /**
   * Reads the session cookie of a `Cookie` header. Synchronous when the header has none, when it
   * is rejected before any crypto work, when the value was opened before, or when the codec is
   * synchronous. Never throws: what is not ours is `rejected` (and reported).
   */
  read(header: string | null | undefined): MaybePromise<IncomingCookie> {
    if (!header) return ABSENT;
    const found = findSessionCookie(header, this.writer.name, COOKIE_MAX_BYTES, () => this.rejected('malformed-encoding'));
    if (found === undefined) return ABSENT;
    if (found.kind === 'oversize') return this.#reject('oversize');
    return this.#opened.get(found.value) ?? andThen(this.codec.open(found.value), (result) => this.#remember(found.value, result));
  }

  /** The `Set-Cookie` value for `sessionKey`, sealed under the first key (`maxAge`: see `SetCookieWriter.session`). */
  issue(sessionKey: unknown, phase: 'save' | 'update', maxAge?: number): MaybePromise<string> {
    const Failure = phase === 'save' ? SaveError : UpdateError;
    if (!isValidSessionKey(sessionKey)) {
      throw new Failure('other', undefined, {
        cause: new Error('The store returned a session key that is not a string of at most 4064 bytes'),
      });
    }
    return andThen(this.codec.seal(sessionKey), (sealed) => {
      const encoded = percentEncodeCookieValue(sealed);
      const bytes = this.writer.name.length + 1 + encoded.length;
      if (bytes > COOKIE_MAX_BYTES) {
        throw new Failure('other', undefined, {
          cause: new Error(
            `The session cookie would be ${bytes} bytes, over the ${COOKIE_MAX_BYTES} bytes browsers keep; store less in the session or use a server-side store`,
          ),
        });
      }
      // The browser sends this value back next time: it then opens without crypto work.
      this.#opened.set(sealed, { kind: 'opened', sessionKey, keyIndex: 0, value: sealed });
      return this.writer.session(encoded, maxAge);
    });
  }

  /** The `Set-Cookie` value that re-sends an incoming value as it is (already sealed, same key). */
  reissue(value: string, maxAge?: number): string {
    return this.writer.session(percentEncodeCookieValue(value), maxAge);
  }

  #remember(value: string, result: Awaited<ReturnType<CookieCodec['open']>>): IncomingCookie {
    if (!result.ok) return this.#reject(result.reason);
    if (!isValidSessionKey(result.plaintext)) return this.#reject('invalid-session-key');
    const opened = { kind: 'opened', sessionKey: result.plaintext, keyIndex: result.keyIndex, value } as const;
    this.#opened.set(value, opened);
    return opened;
  }

  #reject(reason: CookieRejectionReason): IncomingCookie {
    this.rejected(reason);
    return REJECTED;
  }
}
