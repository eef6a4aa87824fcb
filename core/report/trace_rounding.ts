/**
 * roundSignificant() (core/io/round_significant.ts) for the millions of trace
 * values the report rebuilds from its cache, same result for every input: in the
 * common case (1e-6 ≤ |x| < 10^digits) the decimal exponent e = ⌊log10 |x|⌋ is
 * found exactly (core/io/_decimal_exponent.ts), so s = digits − 1 − e is right
 * at once and 10^(digits−1) ≤ |x|·10^s < 10^digits; the integer m nearest
 * |x|·10^s is read from the plain product h = |x|·10^s, which is off from the
 * exact product by at most half an ulp of h, so it rounds to the same integer
 * whenever h lies more than 2^-52·h (two such errors) from a half — then m is
 * ⌊h + ½⌋ too (h + ½ is off by at most an ulp of h) — and the result is the
 * same single division m / 10^s (m = 10^digits, a carry, included). An integer
 * |x| is its own rounding (h is then an integer and m / 10^s is |x|). Anything
 * else (near a tie, other magnitudes, 0, NaN, ±Infinity) is handed to
 * roundSignificant itself.
 */
import { roundSignificant } from "../io/round_significant.ts";
import { decimalExponent } from "../io/_decimal_exponent.ts";
import { P10 } from "../io/_exact_product.ts";

/** 2^-52: twice the rounding error of h relative to h. */
const EPS2 = 2 ** -52;

/** `roundSignificant(x, digits)`, the same double, faster in the common case. */
export function roundTrace(x: number, digits: number): number {
  const ax = Math.abs(x);
  if (digits >= 1 && digits <= 16 && ax >= 1e-6 && ax < P10[digits]) {
    const s = digits - 1 - decimalExponent(ax);
    const p = P10[s];
    const h = ax * p;
    const f = h - Math.floor(h); // exact
    if (Math.abs(f - 0.5) > h * EPS2) {
      const r = Math.floor(h + 0.5) / p;
      return x < 0 ? -r : r;
    }
  }
  return roundSignificant(x, digits);
}

/**
 * `roundTrace(src[from + i], digits) + 0` into `dst[at + i]` for i < count: the
 * values as their text reads back (−0 is written "0", so it reads +0).
 */
export function roundTraces(
  src: Float64Array,
  from: number,
  count: number,
  digits: number,
  dst: Float64Array,
  at: number,
): void {
  for (let i = 0; i < count; i++) dst[at + i] = roundTrace(src[from + i], digits) + 0;
}
