import { randomBytes } from '../src/random-bytes.js';

// Seal nonces and session keys come from a pool of CSPRNG output: every byte must be handed out
// once, as its own copy, whatever the sizes asked for.

test('gives the length asked for, as a copy of its own, including more than one pool', () => {
  for (const length of [0, 1, 12, 80, 4096, 5000]) expect(randomBytes(length)).toHaveLength(length);
  const a = randomBytes(12);
  const before = Array.from(a);
  a.fill(0);
  const b = randomBytes(12);
  expect(Array.from(b)).not.toEqual(Array.from(a));
  expect(before).not.toEqual(Array.from(a));
  expect(a.buffer).not.toBe(b.buffer);
});

test('never hands out the same bytes twice across pool refills (20,000 nonces)', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) seen.add(Buffer.from(randomBytes(12)).toString('hex'));
  expect(seen.size).toBe(20_000);
});

test('each byte value is about equally likely (no stuck or biased pool)', () => {
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < 2_000; i++) for (const byte of randomBytes(128)) counts[byte]! += 1;
  // 256,000 draws, 1,000 expected per value: a fair source stays well within ±20 %.
  expect(Math.min(...counts)).toBeGreaterThan(800);
  expect(Math.max(...counts)).toBeLessThan(1200);
});
