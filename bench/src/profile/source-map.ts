import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** An original position: file path and 1-based line. */
export interface OriginalPosition {
  readonly source: string;
  readonly line: number;
}

/** Maps positions of a generated file back to its sources. */
export type SourceMapLookup = (line0: number, column0: number) => OriginalPosition | undefined;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Reads the `<file>.map` next to a generated file (source map v3, as esbuild writes it) and
 * returns a lookup from 0-based generated line and column to the original file and 1-based line;
 * `undefined` when there is no map. Enough for a profile summary, nothing more (no names, no
 * index maps).
 *
 * @example
 * ```ts
 * const lookup = loadSourceMap('/…/koa-server.mjs')
 * lookup?.(120, 4) // { source: '/…/packages/core/src/session-manager.ts', line: 182 }
 * ```
 */
export function loadSourceMap(generatedFile: string): SourceMapLookup | undefined {
  const mapFile = `${generatedFile}.map`;
  if (!existsSync(mapFile)) return undefined;
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; sourceRoot?: string; mappings: string };
  const base = dirname(generatedFile);
  const sources = map.sources.map((source) => resolve(base, map.sourceRoot ?? '', source));
  // lines[generatedLine] = sorted [generatedColumn, sourceIndex, originalLine0] triples
  const lines: number[][][] = [];
  let sourceIndex = 0;
  let originalLine = 0;
  for (const lineText of map.mappings.split(';')) {
    const segments: number[][] = [];
    let generatedColumn = 0;
    if (lineText !== '') {
      for (const segmentText of lineText.split(',')) {
        const fields = decodeVlq(segmentText);
        generatedColumn += fields[0] ?? 0;
        if (fields.length >= 4) {
          sourceIndex += fields[1] as number;
          originalLine += fields[2] as number;
          segments.push([generatedColumn, sourceIndex, originalLine]);
        }
      }
    }
    lines.push(segments);
  }
  return (line0, column0) => {
    const segments = lines[line0];
    if (segments === undefined || segments.length === 0) return undefined;
    let found: number[] | undefined;
    for (const segment of segments) {
      if ((segment[0] as number) > column0) break;
      found = segment;
    }
    found ??= segments[0];
    if (found === undefined) return undefined;
    const source = sources[found[1] as number];
    return source === undefined ? undefined : { source, line: (found[2] as number) + 1 };
  };
}

/**
 * The path of a profile's `file://` URL, or `undefined` for other URLs.
 *
 * @example
 * ```ts
 * filePathOf('file:///srv/app.mjs') // '/srv/app.mjs'
 * filePathOf('node:internal/timers') // undefined
 * ```
 */
export function filePathOf(url: string): string | undefined {
  return url.startsWith('file://') ? fileURLToPath(url) : undefined;
}

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}
