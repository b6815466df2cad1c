import type { IncomingMessage } from 'node:http';

/**
 * Reads a Node request body as UTF-8 text (empty string when there is none).
 *
 * @example
 * ```ts
 * const state = JSON.parse(await readBody(req))
 * ```
 */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
