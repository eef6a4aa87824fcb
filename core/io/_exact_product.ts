/**
 * x·10^s exactly, as a double-double (Dekker's TwoProduct with 10^s split once;
 * T. J. Dekker, "A floating-point technique for extending the available
 * precision", Numer. Math. 18, 1971), and the integer nearest it. Shared by
 * the number writer (core/io/number_format.ts) and significant-digit rounding
 * (core/io/round_significant.ts).
 */

/** P10[k] = 10^k, exact as a double for k ≤ 22. */
export const P10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** 2^53: integers below it are exact. */
export const INT_LIMIT = 2 ** 53;

const SPLIT = 134_217_729; // 2^27 + 1 (Dekker)
const P10_HI = P10.map((p) => {
  const c = SPLIT * p;
  return c - (c - p);
});
const P10_LO = P10.map((p, k) => p - P10_HI[k]);
/** lo of the last `twoProduct` (hi is its return value); a typed slot, not a boxed number. */
export const LO = new Float64Array(1);

/** x·10^s exactly as hi + lo (returned hi; lo in `LO[0]`); 0 ≤ x < 2^53, 0 ≤ s ≤ 22. */
export function twoProduct(x: number, s: number): number {
  const c = SPLIT * x;
  const xh = c - (c - x), xl = x - xh;
  const hi = x * P10[s];
  LO[0] = ((xh * P10_HI[s] - hi) + xh * P10_LO[s] + xl * P10_HI[s]) + xl * P10_LO[s];
  return hi;
}

/** The integer nearest x·10^s when it is below 2^53 and not a tie; NaN otherwise. */
export function nearest(x: number, s: number): number {
  const hi = twoProduct(x, s);
  if (!(hi < INT_LIMIT)) return NaN;
  const r = Math.round(hi);
  const d = (hi - r) + LO[0]; // hi − r is exact
  if (d > 0.5) return r + 1 < INT_LIMIT ? r + 1 : NaN;
  if (d < -0.5) return r - 1;
  return d === 0.5 || d === -0.5 ? NaN : r;
}
