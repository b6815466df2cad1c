/** Shared encoder: encoding is stateless, so one instance serves every request. */
export const utf8Encoder = new TextEncoder();

/** Shared strict decoder: invalid UTF-8 throws instead of becoming U+FFFD. */
export const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The number of bytes `value` takes in UTF-8, without allocating the encoding. */
export function utf8ByteLength(value: string): number {
  let bytes = value.length;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair: two UTF-16 units, four UTF-8 bytes.
        bytes += 2;
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}
