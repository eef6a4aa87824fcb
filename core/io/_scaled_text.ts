/**
 * The text of a decimal m·10^-s with m of exactly `digits` significant digits
 * (1 ≤ digits ≤ 9, an int32) and e = digits − 1 − s its decimal exponent
 * (−6 ≤ e < digits), in fixed notation with trailing zeros and a bare point
 * dropped: the digits part of `writeSignificant` (core/io/round_significant.ts).
 * The digits are written two at a time from a table of ASCII pairs, with
 * integer arithmetic only (m / 100 of an int32 is a multiply, not a division).
 */

/** "00" … "99": the digits of k are PAIRS[2k] and PAIRS[2k + 1]. */
const PAIRS = Uint8Array.from(
  { length: 200 },
  (_, i) => 48 + (i & 1 ? (i >> 1) % 10 : (i >> 1) / 10 | 0),
);

/** Writes int32 `m` ≥ 0 as exactly `len` digits (zero-padded) ending before `end`, two at a time. */
function writeFixed(buf: Uint8Array, end: number, m: number, len: number): void {
  let i = end;
  for (; len >= 2; len -= 2) {
    const q = (m / 100) | 0;
    const r = (m - q * 100) << 1;
    buf[--i] = PAIRS[r + 1];
    buf[--i] = PAIRS[r];
    m = q;
  }
  if (len === 1) buf[i - 1] = 48 + m;
}

/**
 * Writes m·10^-s (see the module comment) after a minus sign when `negative`
 * is 1; returns the end. Integer arguments only: called, not inlined, it boxes
 * nothing.
 */
export function writeScaled(
  buf: Uint8Array,
  pos: number,
  negative: number,
  m: number,
  e: number,
  digits: number,
): number {
  buf[pos] = 45;
  pos += negative;
  if (e === digits - 1) {
    writeFixed(buf, pos + digits, m, digits); // an integer of `digits` digits: no point
    return pos + digits;
  }
  let end: number;
  if (e >= 0) {
    // e + 1 integer digits, the point, the decimals: the digits one to the right, then the
    // integer part moved back over the point's place
    end = pos + digits + 1;
    writeFixed(buf, end, m, digits);
    for (let k = 0; k <= e; k++) buf[pos + k] = buf[pos + k + 1];
    buf[pos + e + 1] = 46;
  } else {
    // "0." and −e − 1 zeros before the digits
    buf[pos] = 48;
    buf[pos + 1] = 46;
    for (let k = 2; k < 1 - e; k++) buf[pos + k] = 48;
    end = pos + 1 - e + digits;
    writeFixed(buf, end, m, digits);
  }
  while (buf[end - 1] === 48) end--; // m's leading digit is not 0: stops at it or at the point
  return buf[end - 1] === 46 ? end - 1 : end;
}
