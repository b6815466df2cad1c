import { SessionConfigError } from '@sess/core';

/**
 * The default table: `sess_sessions` in the connection's `search_path` (usually `public`).
 *
 * @example
 * ```ts
 * new PostgresSessionStore({ pool, tableName: DEFAULT_TABLE_NAME })
 * ```
 */
export const DEFAULT_TABLE_NAME = 'sess_sessions';

// Unquoted-identifier shape, short enough that `<table>_expires_at` and `<table>_owner` stay
// within PostgreSQL's 63-byte identifier limit (longer names are silently truncated, and two
// truncated index names could collide).
const PART = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/** A validated table name: the unqualified name (for index names) and the quoted SQL form. */
export interface TableName {
  /** The table's own name, without its schema: index names derive from it. */
  readonly name: string;
  /** `"schema"."table"` or `"table"`, ready to put into SQL. */
  readonly sql: string;
}

/**
 * Checks `value` as `table` or `schema.table` (letters, digits, underscores, not starting with a
 * digit, at most 48 characters each) and quotes it. The name is spliced into SQL text (a table
 * name cannot be a bound parameter), so anything else is refused at construction.
 *
 * @example
 * ```ts
 * parseTableName('auth.sessions') // { name: 'sessions', sql: '"auth"."sessions"' }
 * ```
 */
export function parseTableName(value: unknown): TableName {
  if (typeof value !== 'string') throw new SessionConfigError('tableName', `must be a string such as '${DEFAULT_TABLE_NAME}'`);
  const parts = value.split('.');
  if (parts.length > 2 || !parts.every((part) => PART.test(part))) {
    throw new SessionConfigError(
      'tableName',
      `must be table or schema.table, each made of letters, digits and underscores, not starting with a digit, at most 48 characters (got ${JSON.stringify(value)})`,
    );
  }
  return Object.freeze({ name: parts[parts.length - 1] as string, sql: parts.map((part) => `"${part}"`).join('.') });
}
