/**
 * `it` when `condition` holds; otherwise a test reported as skipped, its title saying why
 * (`… (skipped: <reason>)`), so a capability the store lacks shows in the report instead of
 * silently not being registered.
 *
 * @example
 * ```ts
 * itIf(expires, 'its states do not expire')('forgets a state once its TTL has passed', async () => { … })
 * ```
 */
export function itIf(condition: boolean, reason: string): typeof it {
  if (condition) return it;
  const skipped = (title: string, fn?: jest.ProvidesCallback): void => it.skip(`${title} (skipped: ${reason})`, fn);
  const each =
    (table: readonly unknown[]) =>
    (title: string, fn: (...args: never[]) => unknown): void =>
      it.skip.each(table as unknown[][])(`${title} (skipped: ${reason})`, fn as (...args: unknown[]) => void);
  return Object.assign(skipped, { each }) as unknown as typeof it;
}
