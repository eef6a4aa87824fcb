/**
 * Numbers and timestamps written as ASCII bytes straight into a buffer, with no
 * intermediate string for the common cases. The text is exactly what the string
 * formatters give (`String(x)`, `formatTimestamp(ms)`), so files stay byte-identical.
 *
 * Numbers: the shortest decimal that reads back as the same double (ECMAScript
 * Number::toString). Integers below 2^53 are written digit by digit; a value with
 * few decimals (sensor readings, 0.5, 12.345) is found as the smallest k with
 * round(|x|·10^k)/10^k === |x|, where round(|x|·10^k) < 2^50: the candidates of k
 * decimals are then more than 4 ulps apart, so at most one reads back as x, that
 * one is what Number::toString prints (fewest digits; fixed notation for
 * 1e-6 ≤ |x| < 1e21), and both the product and the test are exact enough
 * (m/10^k is one correctly rounded division, like the parse of "m·10^-k").
 *
 * Full-precision values (z-scores, expected values, residuals: 16–17 significant
 * digits) in 1e-6 ≤ |x| < 2^53 take `writeLong`: the exact product P = |x|·10^s
 * as a double-double (Dekker's TwoProduct, 10^s exact for s ≤ 22), m = the
 * integer nearest P. For m < 2^53, "m·10^-s reads back as x" is exactly
 * `m / 10^s === x` (one correctly rounded division = the correctly rounded
 * parse). Round-trips are monotone in the digit count, so the shortest is the
 * fewest digits p whose nearest candidate passes; 17 always passes (Matula
 * 1968), its m (up to 10^17) is assembled from hi + lo in two base-10^9 limbs.
 * The nearest candidate is the one Number::toString picks (ECMA-262
 * Number::toString step 5: fewest digits, then closest to x). Exact ties and an
 * m ≥ 2^53 at 16 digits fall back to `String(x)` copied byte by byte, as do the
 * other values (exponent notation, huge integers).
 */

import { formatTimestamp } from "../frame.ts";
import { INT_LIMIT, LO, nearest, P10, twoProduct } from "./_exact_product.ts";

const FAST_LIMIT = 2 ** 50;
/** Decimals tried before falling back (sensor data rarely has more). */
const MAX_FAST_DECIMALS = 9;
/** Bytes `writeNumber` may write at most ("-1.2345678901234567e-308" is 24). */
export const MAX_NUMBER_BYTES = 25;
/** Bytes `writeTimestamp` may write at most (outside years 0–9999 the string form is used). */
export const MAX_TIMESTAMP_BYTES = 40;

/** Writes the decimal digits of a non-negative integer `n < 2^53` at `pos`; returns the end. */
export function writeDigits(buf: Uint8Array, pos: number, n: number): number {
  if (n < 10) {
    buf[pos] = 48 + n;
    return pos + 1;
  }
  let len = 1;
  while (len < 16 && n >= P10[len]) len++;
  const end = pos + len;
  for (let i = end - 1; i >= pos; i--) {
    const q = Math.floor(n / 10);
    buf[i] = 48 + (n - q * 10);
    n = q;
  }
  return end;
}

function writeAscii(buf: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/**
 * Writes `String(x)` at `pos` (NaN writes nothing: a missing CSV field); returns
 * the end. `buf` must have `MAX_NUMBER_BYTES` free from `pos`.
 */
export function writeNumber(buf: Uint8Array, pos: number, x: number): number {
  if (x !== x) return pos;
  if (x === 0) {
    buf[pos] = 48; // String(-0) is "0" too
    return pos + 1;
  }
  let ax = x;
  if (x < 0) {
    buf[pos++] = 45;
    ax = -x;
  }
  if (ax < INT_LIMIT && Math.floor(ax) === ax) return writeDigits(buf, pos, ax);
  // One test at the most decimals tells whether any k ≤ MAX_FAST_DECIMALS can pass
  // (fewer decimals passing implies more pass): full-precision values skip the loop.
  const top = Math.round(ax * P10[MAX_FAST_DECIMALS]);
  const short = top >= FAST_LIMIT || top / P10[MAX_FAST_DECIMALS] === ax;
  if (short && ax >= 1e-6 && ax < FAST_LIMIT) {
    for (let k = 1; k <= MAX_FAST_DECIMALS; k++) {
      const p = P10[k];
      const m = Math.round(ax * p);
      if (m >= FAST_LIMIT) break;
      if (m / p === ax) {
        const ip = Math.floor(m / p);
        pos = writeDigits(buf, pos, ip);
        buf[pos++] = 46;
        let frac = m - ip * p;
        for (let i = pos + k - 1; i >= pos; i--) {
          const q = Math.floor(frac / 10);
          buf[i] = 48 + (frac - q * 10);
          frac = q;
        }
        return pos + k;
      }
    }
  }
  if (ax >= 1e-6 && ax < INT_LIMIT) {
    const end = writeLong(buf, pos, ax);
    if (end > 0) return end;
  }
  return writeAscii(buf, pos, String(ax));
}

const DIGITS = new Uint8Array(24);
/** NEG10[k] = 10^-k as a double: the guess compares |x| with 1, 0.1, …, 1e-6. */
const NEG10 = [1, 0.1, 0.01, 0.001, 1e-4, 1e-5, 1e-6];

/** Writes int32 `n` as exactly `count` digits (zero-padded) at DIGITS[at]. */
function intDigits(n: number, at: number, count: number): void {
  for (let i = at + count - 1; i >= at; i--) {
    const q = (n / 10) | 0;
    DIGITS[i] = 48 + n - q * 10;
    n = q;
  }
}

/** Digits of a positive integer m < 2^53 into DIGITS; returns their count. */
function digitsOf(m: number): number {
  if (m < 1e8) {
    const len = m < 10
      ? 1
      : m < 100
      ? 2
      : m < 1e3
      ? 3
      : m < 1e4
      ? 4
      : m < 1e5
      ? 5
      : m < 1e6
      ? 6
      : m < 1e7
      ? 7
      : 8;
    intDigits(m, 0, len);
    return len;
  }
  const a = Math.floor(m / 1e8); // a·1e8 and m − a·1e8 are exact
  const b = m - a * 1e8;
  const len = digitsOf(a);
  intDigits(b, len, 8);
  return len + 8;
}

/**
 * Writes the shortest round-trip digits of `ax` (1e-6 ≤ ax < 2^53, not an
 * integer, more than the fast path's decimals) in fixed notation; returns the
 * end, or 0 when it cannot decide exactly (the caller falls back to String).
 */
function writeLong(buf: Uint8Array, pos: number, ax: number): number {
  // decimal exponent of the leading digit (a guess by comparisons; corrected below)
  let e = 0;
  if (ax >= 1) { while (e < 15 && ax >= P10[e + 1]) e++; }
  else {
    let k = 0; // a non-negative index: NEG10[-e] would index with -0, off V8's fast path
    while (k < 6 && ax < NEG10[k]) k++;
    e = -k;
  }
  let p = 16, m = 0;
  for (let tries = 0;; tries++) {
    const s = 15 - e;
    if (s > 22 || s < 0 || tries > 2) return 0;
    m = nearest(ax, s);
    if (m !== m) return 0;
    if (m >= 1e16) e++;
    else if (m < 1e15) e--;
    else break;
  }
  let len: number;
  if (m / P10[15 - e] === ax) {
    // 16 digits read back; fewer may too
    for (p = 15; p >= 1; p--) {
      const c = nearest(ax, p - 1 - e);
      if (c !== c || c / P10[p - 1 - e] !== ax) break;
      m = c;
    }
    p++;
    if (m >= P10[p]) return 0; // a carry to one more digit: let String decide
    len = digitsOf(m);
    if (len !== p) return 0;
  } else {
    // 17 digits: m = nearest integer to hi + lo, hi ≥ 2^53 an even integer
    const s = 16 - e;
    if (s > 22) return 0;
    const hi = twoProduct(ax, s);
    const lo = LO[0];
    const dr = Math.round(lo);
    if (Math.abs(lo - dr) === 0.5) return 0;
    let q = Math.floor(hi / 1e9);
    let rem = hi - q * 1e9 + dr;
    while (rem < 0) {
      q--;
      rem += 1e9;
    }
    while (rem >= 1e9) {
      q++;
      rem -= 1e9;
    }
    if (q < 1e7 || q >= 1e8) return 0; // not 17 digits: exponent estimate off, let String decide
    intDigits(q, 0, 8);
    intDigits(rem, 8, 9);
    len = p = 17;
  }
  while (len > 1 && DIGITS[len - 1] === 48) len--; // never for a shortest m; kept for safety
  const n = e + 1; // digits before the decimal point
  if (n > 0) {
    if (n >= len) return 0; // an integer: not this path's case
    for (let i = 0; i < n; i++) buf[pos++] = DIGITS[i];
    buf[pos++] = 46;
    for (let i = n; i < len; i++) buf[pos++] = DIGITS[i];
  } else {
    buf[pos++] = 48;
    buf[pos++] = 46;
    for (let i = n; i < 0; i++) buf[pos++] = 48;
    for (let i = 0; i < len; i++) buf[pos++] = DIGITS[i];
  }
  return pos;
}

function two(buf: Uint8Array, pos: number, n: number): void {
  const t = Math.floor(n / 10);
  buf[pos] = 48 + t;
  buf[pos + 1] = 48 + (n - t * 10);
}

const MIN_FAST_MS = -62_167_219_200_000; // 0000-01-01T00:00:00
const MAX_FAST_MS = 253_402_300_800_000; // 10000-01-01T00:00:00

/**
 * Writes `formatTimestamp(ms)` (`YYYY-MM-DDTHH:MM:SS`, `.mmm` when non-zero) at
 * `pos`; returns the end. Civil date from days since 1970 by Hinnant's
 * `civil_from_days` (https://howardhinnant.github.io/date_algorithms.html).
 */
export function writeTimestamp(buf: Uint8Array, pos: number, ms: number): number {
  if (!(ms >= MIN_FAST_MS && ms < MAX_FAST_MS) || Math.floor(ms) !== ms) {
    return writeAscii(buf, pos, formatTimestamp(ms));
  }
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) -
      Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  two(buf, pos, Math.floor(y / 100));
  two(buf, pos + 2, y % 100);
  buf[pos + 4] = 45;
  two(buf, pos + 5, m);
  buf[pos + 7] = 45;
  two(buf, pos + 8, d);
  buf[pos + 10] = 84; // T
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const s = Math.floor(rest / 1000);
  const frac = rest - s * 1000;
  two(buf, pos + 11, h);
  buf[pos + 13] = 58;
  two(buf, pos + 14, mi);
  buf[pos + 16] = 58;
  two(buf, pos + 17, s);
  if (frac === 0) return pos + 19;
  buf[pos + 19] = 46;
  buf[pos + 20] = 48 + Math.floor(frac / 100);
  two(buf, pos + 21, frac % 100);
  return pos + 23;
}
