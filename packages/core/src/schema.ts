import type { StandardSchemaV1 } from '@standard-schema/spec';

/** The outcome of validating a value with a Standard Schema, synchronously. */
export type SchemaOutcome<S extends StandardSchemaV1> =
  | { readonly ok: true; readonly value: StandardSchemaV1.InferOutput<S> }
  | { readonly ok: false; readonly issues: readonly StandardSchemaV1.Issue[] };

/**
 * Validates `value` with any Standard Schema validator (zod, valibot, arktype…).
 *
 * Session reads are synchronous, so a schema whose validation is asynchronous is reported as
 * an issue rather than awaited.
 */
export function validateWithSchema<S extends StandardSchemaV1>(schema: S, value: unknown): SchemaOutcome<S> {
  const standard = (schema as Partial<StandardSchemaV1>)['~standard'];
  if (standard === undefined || typeof standard.validate !== 'function') {
    throw new TypeError('The schema is not a Standard Schema validator (it has no ~standard.validate)');
  }
  const result = standard.validate(value);
  if (result instanceof Promise) {
    // Not awaited, so its eventual rejection must not surface as an unhandled rejection.
    result.then(undefined, () => undefined);
    return { ok: false, issues: [{ message: 'Asynchronous schemas are not supported by session reads' }] };
  }
  if (result.issues !== undefined) return { ok: false, issues: result.issues };
  return { ok: true, value: result.value as StandardSchemaV1.InferOutput<S> };
}
