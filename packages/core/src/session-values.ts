import type { StandardSchemaV1 } from '@standard-schema/spec';
import { SessionGetError, SessionInsertError, SessionUpdateError } from './errors.js';
import { NotJsonError, toJsonValue, type JsonValue } from './json.js';
import { validateWithSchema } from './schema.js';

/**
 * `value` as JSON for `session.insert(key, value)`, or the `SessionInsertError` it throws.
 *
 * @example
 * ```ts
 * insertedValue('cart', { items: [1] }) // { items: [1] }
 * ```
 */
export function insertedValue(key: string, value: unknown): JsonValue {
  try {
    return toJsonValue(value);
  } catch (error) {
    throw new SessionInsertError(key, message('store', key, error), { cause: error });
  }
}

/**
 * `next` (what an update function returned) as JSON, or the `SessionUpdateError` it throws.
 *
 * @example
 * ```ts
 * updatedValue('n', 2) // 2
 * ```
 */
export function updatedValue(key: string, next: unknown): JsonValue {
  try {
    return toJsonValue(next);
  } catch (error) {
    throw new SessionUpdateError(key, message('update', key, error), { cause: error });
  }
}

/**
 * `updateOr`'s default as JSON, or the `SessionUpdateError` it throws (its cause the
 * `SessionInsertError` an insert of the value would throw).
 *
 * @example
 * ```ts
 * defaultValue('n', 1) // 1
 * ```
 */
export function defaultValue(key: string, value: unknown): JsonValue {
  try {
    return toJsonValue(value);
  } catch (error) {
    throw new SessionUpdateError(key, message('update', key, error), {
      cause: new SessionInsertError(key, message('store', key, error), { cause: error }),
    });
  }
}

function message(verb: 'store' | 'update', key: string, error: unknown): string {
  const reason = error instanceof NotJsonError ? error.message : String(error);
  return `Cannot ${verb} session value under "${key}": ${reason}`;
}

/** Options of `session.get(key, schema, options)`. */
export interface GetOptions {
  /**
   * What a stored value the schema rejects does: `'throw'` (default) a `SessionGetError`;
   * `'remove'` removes it from the session and reads as `undefined`.
   */
  readonly onMismatch?: 'throw' | 'remove';
}

/**
 * `value` validated by a Standard Schema for `session.get(key, schema)`: the schema's output, or
 * the `SessionGetError` it throws on a mismatch (`{ ok: false }` instead when `lenient`).
 *
 * @example
 * ```ts
 * validatedValue('userId', 'ferris', z.string(), false) // { ok: true, value: 'ferris' }
 * ```
 */
export function validatedValue(
  key: string,
  value: JsonValue,
  schema: StandardSchemaV1,
  lenient: boolean,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
  const outcome = validateWithSchema(schema, value);
  if (outcome.ok) return outcome;
  if (lenient) return { ok: false };
  throw new SessionGetError(
    key,
    `The session value under "${key}" does not match the schema: ${outcome.issues.map((i) => i.message).join('; ')}`,
    outcome.issues,
  );
}
