/**
 * Decimal number parsing straight from char codes of a string range.
 *
 * Accepted: optional spaces, optional sign, digits with an optional `.` fraction (either side
 * may be empty, not both), optional exponent `e±NN`. Missing values are the empty cell and
 * `NaN` in any case (`nan`, `NAN`); both parse to NaN and `isMissingRange` says so.
 * Everything else (text, `inf`, `1,5`, hex) is not a number: NaN and not missing.
 *
 * Method: Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately",
 * PLDI 1990): a mantissa of at most 15 significant digits is an exact double and 10^k is exact
 * for k ≤ 22, so one multiplication or division gives the correctly rounded result. Longer
 * mantissas or larger exponents fall back to `Number()` on the validated slice, so results equal
 * `Number(text)` bit for bit.
 */

const POW10 = [
  1e0,
  1e1,
  1e2,
  1e3,
  1e4,
  1e5,
  1e6,
  1e7,
  1e8,
  1e9,
  1e10,
  1e11,
  1e12,
  1e13,
  1e14,
  1e15,
  1e16,
  1e17,
  1e18,
  1e19,
  1e20,
  1e21,
  1e22,
];

/** Parses `text[start, end)` as a decimal number; NaN when empty, `NaN`, or not a number. */
export function parseNumberRange(t: string, start: number, end: number): number {
  let s = start;
  let e = end;
  while (s < e && t.charCodeAt(s) === 32) s++;
  while (e > s && t.charCodeAt(e - 1) === 32) e--;
  if (s === e) return NaN;
  let i = s;
  let c = t.charCodeAt(i);
  let neg = false;
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let mant = 0;
  let sig = 0;
  let exp = 0;
  let digits = 0;
  for (; i < e; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig > 0 || d !== 0) {
      mant = mant * 10 + d;
      sig++;
    }
  }
  if (i < e && t.charCodeAt(i) === 46) {
    for (i++; i < e; i++) {
      const d = t.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (sig > 0 || d !== 0) {
        mant = mant * 10 + d;
        sig++;
      }
      exp--;
    }
  }
  if (digits === 0) return NaN;
  if (i < e) {
    c = t.charCodeAt(i) | 32;
    if (c !== 101) return NaN;
    i++;
    let eneg = false;
    if (i < e) {
      c = t.charCodeAt(i);
      if (c === 45) {
        eneg = true;
        i++;
      } else if (c === 43) i++;
    }
    const e0 = i;
    let ev = 0;
    for (; i < e; i++) {
      const d = t.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return NaN;
      if (ev < 100000) ev = ev * 10 + d;
    }
    if (i === e0) return NaN;
    exp += eneg ? -ev : ev;
  }
  if (sig > 15 || exp > 22 || exp < -22) return Number(t.slice(s, e));
  const v = exp < 0 ? mant / POW10[-exp] : mant * POW10[exp];
  return neg ? -v : v;
}

/** True when `text[start, end)` is a missing value: empty (after spaces) or `NaN` in any case. */
export function isMissingRange(t: string, start: number, end: number): boolean {
  let s = start;
  let e = end;
  while (s < e && t.charCodeAt(s) === 32) s++;
  while (e > s && t.charCodeAt(e - 1) === 32) e--;
  if (s === e) return true;
  return e - s === 3 && (t.charCodeAt(s) | 32) === 110 && (t.charCodeAt(s + 1) | 32) === 97 &&
    (t.charCodeAt(s + 2) | 32) === 110;
}

/** Parses a whole string as a number (see `parseNumberRange`). */
export function parseNumber(text: string): number {
  return parseNumberRange(text, 0, text.length);
}
