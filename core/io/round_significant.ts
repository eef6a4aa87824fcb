/**
 * Rounding a double to a number of significant decimal digits, for outputs that
 * do not need full precision (the csv sink's `expected_digits`): the result is
 * the double nearest the decimal of `digits` significant digits nearest `x`
 * (ties away from zero), i.e. exactly `Number(x.toPrecision(digits))`
 * (ECMA-262 Number.prototype.toPrecision, then a correctly rounded parse) —
 * so `writeNumber` (core/io/number_format.ts) writes it in at most `digits`
 * digits and the text reads back as the rounded value.
 *
 * Without a string for the common case 1e-6 ≤ |x| < 2^53: below 10^digits the
 * decimal is m·10^-s with m the integer nearest |x|·10^s, found exactly from
 * the double-double product (core/io/_exact_product.ts), and m / 10^s is one
 * correctly rounded division, i.e. the double nearest m·10^-s; at or above
 * 10^digits it is a multiple of 10^k found from the integer part (exact integer
 * arithmetic below 2^53). Exact ties, and every other magnitude (subnormals,
 * ≥ 2^53), go through `toPrecision`.
 */
import { INT_LIMIT, nearest, P10 } from "./_exact_product.ts";
import { writeDigits, writeNumber } from "./number_format.ts";
import { decimalExponent } from "./_decimal_exponent.ts";
import { writeScaled } from "./_scaled_text.ts";

/** 10^-k as doubles: a first guess of the decimal exponent below 1 (checked after). */
const NEG10 = [1, 0.1, 0.01, 0.001, 1e-4, 1e-5, 1e-6];

/** `Number(x.toPrecision(digits))`, except that a finite x stays finite (1.8e308 at 1 digit is x). */
function viaString(x: number, digits: number): number {
  const r = Number(x.toPrecision(digits));
  return r === Infinity || r === -Infinity ? x : r;
}

/** Checks `digits` is an integer 0–17 (0 = full precision); throws a RangeError naming it otherwise. */
export function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > 17) {
    throw new RangeError(
      `Cannot round to "${digits}" significant digits: expected an integer from 0 (full precision) to 17`,
    );
  }
}

/** The decimal exponent `s` of the last `scaled` (m·10^-s); a typed slot, not a boxed number. */
const S = new Int32Array(1);

/**
 * For 1e-6 ≤ ax < 10^digits, not an integer: the integer m (10^(digits−1) ≤ m ≤
 * 10^digits) nearest ax·10^s with s = `S[0]`, i.e. the decimal m·10^-s is ax at
 * `digits` significant digits; NaN when that is not decided exactly here (a tie).
 */
function scaled(ax: number, digits: number): number {
  let e = 0;
  if (ax >= 1) { while (ax >= P10[e + 1]) e++; }
  else {
    let k = 0;
    while (k < 6 && ax < NEG10[k]) k++;
    e = -k;
  }
  const low = P10[digits - 1], top = P10[digits];
  for (let tries = 0; tries < 3; tries++) {
    const s = digits - 1 - e;
    const m = nearest(ax, s);
    if (m !== m) return NaN; // an exact tie (or no exact answer)
    if (m < low) e--; // the guess was one too high (10^-k as a double)
    else if (m > top) e++;
    else {
      S[0] = s;
      return m; // m = 10^digits: a carry to the next power of ten, still the nearest
    }
  }
  return NaN;
}

/**
 * `x` rounded to `digits` significant digits (the double nearest that decimal);
 * `digits` 0 or 17 return `x` (17 digits always read back as `x`), as do 0, NaN,
 * ±Infinity and a value whose rounding would overflow to Infinity. `digits` must
 * be an integer 0–17 (see `checkDigits`).
 */
export function roundSignificant(x: number, digits: number): number {
  if (digits === 0 || digits >= 17 || x === 0 || x !== x) return x;
  const ax = x < 0 ? -x : x;
  if (ax === Infinity) return x;
  if (!(ax >= 1e-6 && ax < INT_LIMIT)) return viaString(x, digits);
  let r: number;
  if (ax >= P10[digits]) {
    // a multiple of 10^k: the integer part decides (its remainder is exact below 2^53)
    let e = digits;
    while (e < 15 && ax >= P10[e + 1]) e++;
    const p = P10[e + 1 - digits];
    const ip = Math.floor(ax);
    const rem = ip % p;
    // rem ≥ p/2: above half, or a tie (ties away from zero); p/2 is an integer, ax − ip < 1
    r = ((ip - rem) / p + (rem >= p / 2 ? 1 : 0)) * p;
  } else {
    if (Math.floor(ax) === ax) return x;
    const m = scaled(ax, digits);
    if (m !== m) return viaString(x, digits);
    r = m / P10[S[0]]; // one correctly rounded division: the double nearest m·10^-s
  }
  return x < 0 ? -r : r;
}

/**
 * 2^-52: |exact − computed| of a product y = fl(a·10^s) is at most y·2^-53 (half
 * an ulp). (A half-integer below 2^52 is itself a double, so y ≠ m + ½ would
 * already decide; the margin of two roundings is kept as a safety.)
 */
const EPS2 = 2 ** -52;

/**
 * Writes `roundSignificant(x, digits)` as `writeNumber` would (its shortest
 * round-trip decimal) at `pos`; returns the end. For digits ≤ 15 and
 * 1e-6 ≤ |x| < 10^digits the digits of m·10^-s are written directly, trailing
 * zeros dropped: distinct decimals of at most 15 significant digits read as
 * distinct doubles (DBL_DIG), so no shorter decimal reads back as the rounded
 * value and that text is exactly Number::toString's (fixed notation in this
 * range). Up to 9 digits m is an int32 found without a loop: the decimal
 * exponent e is exact (core/io/_decimal_exponent.ts), so s = digits − 1 − e is
 * right at once and 10^(digits−1) ≤ |x|·10^s < 10^digits; m is the rounded
 * product y's nearest integer when y is farther than twice its rounding error
 * from a half-integer (the exact product then rounds to the same integer), and
 * its text is written with integer arithmetic (core/io/_scaled_text.ts). Near a
 * tie, on a carry to 10^digits and from 10 digits m comes from `scaled`'s exact
 * product instead. Every other case writes `roundSignificant` through `writeNumber`.
 * `buf` must have `MAX_NUMBER_BYTES` free from `pos`.
 */
export function writeSignificant(buf: Uint8Array, pos: number, x: number, digits: number): number {
  const ax = Math.abs(x);
  if (digits >= 1 && digits <= 9 && ax >= 1e-6 && ax < P10[digits]) {
    const e = decimalExponent(ax); // exact: s is right at once
    const y = ax * P10[digits - 1 - e];
    const f = y - Math.floor(y); // exact
    if (Math.abs(f - 0.5) > y * EPS2) {
      // Math.round(y) as an int32 (y < 10^9): y + 0.5 is off by at most an ulp of y, less
      // than f's distance from ½, so its floor is y's nearest integer
      const m = Math.floor(y + 0.5) | 0;
      if (m < P10[digits]) return writeScaled(buf, pos, x < 0 ? 1 : 0, m, e, digits);
    }
  }
  return writeOther(buf, pos, x, digits);
}

/** `writeSignificant` outside its rounded-product path: from 10 digits, near ties, other magnitudes. */
function writeOther(buf: Uint8Array, pos: number, x: number, digits: number): number {
  const ax = Math.abs(x);
  if (
    digits === 0 || digits > 15 || !(ax >= 1e-6 && ax < P10[digits]) || Math.floor(ax) === ax
  ) return writeNumber(buf, pos, roundSignificant(x, digits));
  let m = scaled(ax, digits);
  if (m !== m) return writeNumber(buf, pos, roundSignificant(x, digits));
  let s = S[0];
  while (s > 0 && m % 10 === 0) {
    m /= 10;
    s--;
  }
  if (x < 0) buf[pos++] = 45;
  if (s === 0) return writeDigits(buf, pos, m);
  const p = P10[s];
  if (m >= p) {
    const ip = Math.floor(m / p); // exact: m < 2^53, p = 10^s
    pos = writeDigits(buf, pos, ip);
    m -= ip * p;
  } else buf[pos++] = 48;
  buf[pos++] = 46;
  for (let i = pos + s - 1; i >= pos; i--) {
    const q = Math.floor(m / 10);
    buf[i] = 48 + (m - q * 10);
    m = q;
  }
  return pos + s;
}
