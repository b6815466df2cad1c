/**
 * A finite number as serde_json (the JSON of actix-session) writes it, so equal states give
 * byte-identical records and signed cookies on both sides.
 *
 * Integers that serde_json reads back as integers (`i64`/`u64`: from −2^63 up to 2^64) are
 * written as JavaScript writes them (plain digits); serde_json keeps such text as is. Every
 * other number is a `f64` in serde_json, written by the `ryu` crate: the same shortest digits
 * JavaScript finds, laid out differently — `1e21` not `1e+21`, `1.5e-6` not `0.0000015`,
 * `1e20` not `100000000000000000000`.
 *
 * JavaScript numbers are doubles: an integer beyond 2^53 written by actix (a `u64` id, say)
 * loses its last digits when @sess loads it. Keep such ids as strings.
 *
 * @example
 * ```ts
 * jsonNumber(1e21)    // '1e21'
 * jsonNumber(0.5)     // '0.5'
 * jsonNumber(1.5e-6)  // '1.5e-6'
 * ```
 */
export function jsonNumber(value: number): string {
  if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 64) return JSON.stringify(value);
  // toExponential() without a digit count gives the shortest digits that read back the same.
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const kk = Number(exponentText) + 1; // 10^(kk-1) <= |value| < 10^kk
  return (negative ? '-' : '') + ryuLayout(digits, kk);
}

/** ryu's `format64` layout of `0.digits × 10^kk` (its `pretty` module, case by case). */
function ryuLayout(digits: string, kk: number): string {
  const length = digits.length;
  if (length <= kk && kk <= 16) return `${digits}${'0'.repeat(kk - length)}.0`; // 1234e7 → 12340000000.0
  if (0 < kk && kk <= 16) return `${digits.slice(0, kk)}.${digits.slice(kk)}`; // 1234e-2 → 12.34
  if (-5 < kk && kk <= 0) return `0.${'0'.repeat(-kk)}${digits}`; // 1234e-6 → 0.001234
  const exponent = `e${kk - 1}`;
  return length === 1 ? `${digits}${exponent}` : `${digits[0]}.${digits.slice(1)}${exponent}`; // 1e30, 1.234e33
}
