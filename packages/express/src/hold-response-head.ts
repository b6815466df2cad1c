import type { MaybePromise } from '@sess/core';
import { OutgoingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';

/** The `ServerResponse` methods that put the response head on the wire. */
const HEAD_WRITERS = ['writeHead', 'write', 'end', 'flushHeaders'] as const;
type HeadWriter = (typeof HEAD_WRITERS)[number];
type AnyMethod = (this: ServerResponse, ...args: unknown[]) => unknown;

const OPEN = 0;
const HOLDING = 1;
const DONE = 2;

/** Node's own `headersSent` getter, which a held response's accessor falls back to once released. */
const nodeHeadersSent = Object.getOwnPropertyDescriptor(OutgoingMessage.prototype, 'headersSent')?.get as (
  this: OutgoingMessage,
) => boolean;

interface HeldCall {
  readonly method: HeadWriter;
  readonly args: unknown[];
}

/**
 * Runs `commit` when the response head is about to be written, appends the `Set-Cookie` values
 * it returns, then lets the response go out, exactly as the handler wrote it.
 *
 * Node writes the head synchronously from `writeHead`/`write`/`end`/`flushHeaders`, while a
 * commit talks to the store asynchronously, so (as express-session does for `res.end`) the
 * first such call and every one after it are queued until the commit settles, then replayed in
 * order. A queued `write` returns `false`, so streams and `pipe` wait for `'drain'`, which is
 * emitted once the queue is flushed. If the commit fails, nothing of the handler's response has
 * been sent: the headers are reset to `headersAtLoad` and `onError` receives the error, so
 * Express's error handling can answer 500 instead.
 *
 * Does nothing when the head has already gone out: there is no way left to send a cookie.
 *
 * @param res the response to hold
 * @param commit persists the session for a response of the given status: the `Set-Cookie` values,
 *   or a promise of them (`SessionManager.commit`). When they come at once (nothing needed the
 *   store), the response goes out unheld, with no queue and no promise.
 * @param onError receives a commit failure (Express's `next`)
 * @param headersAtLoad the headers earlier middleware had set when the session was loaded, kept if the commit fails
 *
 * @example
 * ```ts
 * holdResponseHead(res, (status) => manager.commit(rs, { status }), next, res.getHeaders())
 * ```
 */
export function holdResponseHead(
  res: ServerResponse,
  commit: (status: number) => MaybePromise<string[]>,
  onError: (error: unknown) => void,
  headersAtLoad: OutgoingHttpHeaders,
): void {
  if (res.headersSent) return;
  const own = res as unknown as Record<HeadWriter, AnyMethod>;
  const originals: Record<HeadWriter, AnyMethod> = {
    writeHead: own.writeHead,
    write: own.write,
    end: own.end,
    flushHeaders: own.flushHeaders,
  };
  const queue: HeldCall[] = [];
  let state = OPEN;
  let drainOwed = false;

  /**
   * Commits for a head of `status`: the cookies when they come at once (most requests; the head
   * then goes out unheld), otherwise the head is held until the commit settles.
   */
  const settle = (status: number): string[] | undefined => {
    const cookies = commit(status);
    if (!(cookies instanceof Promise)) {
      release();
      return cookies;
    }
    hold(cookies);
    return undefined;
  };

  const hold = (commitment: Promise<string[]>): void => {
    state = HOLDING;
    // While the head is held it counts as sent, so error handlers and `send` do not start a
    // second response. An own accessor, defined only now and never deleted: a delete would
    // turn the response into a slow dictionary-mode object for the rest of its life.
    Object.defineProperty(res, 'headersSent', {
      configurable: true,
      get: () => (state === HOLDING ? queue.length > 0 : nodeHeadersSent.call(res)),
    });
    commitment.then(flush, fail);
  };

  /** Whether a write/end/flushHeaders call waits in the queue (the first one starts the commit). */
  const queued = (method: HeadWriter, args: unknown[]): boolean => {
    if (state === DONE) return false;
    if (state === OPEN) {
      const cookies = settle(res.statusCode);
      if (cookies !== undefined) {
        for (const cookie of cookies) res.appendHeader('Set-Cookie', cookie);
        return false;
      }
    }
    queue.push({ method, args });
    return true;
  };

  const wrappers: Record<HeadWriter, AnyMethod> = {
    writeHead(...args) {
      if (state === DONE) return originals.writeHead.apply(this, args);
      // Node refuses a second head; the handler must see that now, not when the queue is replayed.
      if (state === HOLDING) throw headersSentError();
      const status = Number(args[0]);
      const cookies = settle(status);
      if (cookies === undefined) {
        queue.push({ method: 'writeHead', args });
        return res;
      }
      if (cookies.length === 0) return originals.writeHead.apply(this, args);
      // writeHead stores its own headers with setHeader, which would overwrite an appended cookie.
      const rest = applyHeadHeaders(res, args);
      for (const cookie of cookies) res.appendHeader('Set-Cookie', cookie);
      return originals.writeHead.apply(this, rest);
    },
    write(...args) {
      if (!queued('write', args)) return originals.write.apply(this, args);
      drainOwed = true;
      return false;
    },
    end(...args) {
      return queued('end', args) ? res : originals.end.apply(this, args);
    },
    flushHeaders(...args) {
      return queued('flushHeaders', args) ? undefined : originals.flushHeaders.apply(this, args);
    },
  };
  Object.assign(own, wrappers);

  const release = (): void => {
    state = DONE;
    // Put back only our own wrappers: a middleware that wrapped them later keeps its wrapper,
    // which now reaches the original through our pass-through.
    for (const method of HEAD_WRITERS) if (own[method] === wrappers[method]) own[method] = originals[method];
  };

  const flush = (cookies: string[]): void => {
    try {
      release();
      const head = queue[0]?.method === 'writeHead' ? queue[0] : undefined;
      if (head) head.args.splice(0, head.args.length, ...applyHeadHeaders(res, head.args));
      for (const cookie of cookies) res.appendHeader('Set-Cookie', cookie);
      let lastWriteOk = true;
      for (const { method, args } of queue) {
        const result = originals[method].apply(res, args);
        if (method === 'write') lastWriteOk = result !== false;
      }
      // A held write answered `false`; when the last real write did not, Node will not emit 'drain' itself.
      if (drainOwed && lastWriteOk) res.emit('drain');
    } catch (error) {
      // A replay that throws (an invalid status code, say): nothing was sent yet, so the error
      // handler can still answer.
      fail(error);
    }
  };

  const fail = (error: unknown): void => {
    release();
    if (!res.headersSent) {
      // The handler's response is replaced: drop what it set, keep what outer middleware had set.
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      for (const [name, value] of Object.entries(headersAtLoad)) if (value !== undefined) res.setHeader(name, value);
    }
    onError(error);
  };
}

/**
 * Moves the headers given to `writeHead(status, [message], [headers])` onto the response and
 * returns the arguments without them. Node's `writeHead` stores them with `setHeader`, which
 * would overwrite the session cookie appended before it; `Set-Cookie` values are appended.
 */
function applyHeadHeaders(res: ServerResponse, args: unknown[]): unknown[] {
  const [status, second, third] = args;
  const message = typeof second === 'string' ? second : undefined;
  const headers = typeof second === 'string' ? third : second;
  const pairs: [string, unknown][] = Array.isArray(headers)
    ? Array.from({ length: headers.length >> 1 }, (_, i) => [String(headers[2 * i]), headers[2 * i + 1]])
    : Object.entries((headers ?? {}) as OutgoingHttpHeaders);
  for (const [name, value] of pairs) {
    if (value === undefined) continue;
    const header = value as number | string | string[];
    if (name.toLowerCase() === 'set-cookie') res.appendHeader(name, Array.isArray(header) ? header : String(header));
    else res.setHeader(name, header);
  }
  return message === undefined ? [status] : [status, message];
}

/** The error Node throws for a second `writeHead`. */
function headersSentError(): Error {
  return Object.assign(new Error('Cannot write headers after they are sent to the client'), {
    code: 'ERR_HTTP_HEADERS_SENT',
  });
}
