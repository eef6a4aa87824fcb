/**
 * roundSignificant() (core/io/round_significant.ts) for the millions of trace
 * values the report rebuilds from its cache, same result for every input: in the
 * common case (1e-6 ≤ |x| < 10^digits, not an integer) the integer nearest
 * |x|·10^s is read from the plain product h = |x|·10^s, which is off from the
 * exact product by at most half an ulp of h, so Math.round(h) is that integer
 * whenever h lies more than 2.3e-16·h (over two such errors) from a half; the
 * exponent s is guessed and corrected as roundSignificant does, and the result
 * is the same single division. Anything else (near a tie, other magnitudes,
 * integers, 0, NaN, ±Infinity) is handed to roundSignificant itself.
 */
import { roundSignificant } from "../io/round_significant.ts";

/** 10^k, k ≤ 22, written as the rounding module writes them (exact doubles). */
const P10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** First guesses of the decimal exponent below 1 (as the rounding module guesses). */
const NEG10 = [1, 0.1, 0.01, 0.001, 1e-4, 1e-5, 1e-6];
const INT_LIMIT = 2 ** 53;

/** `roundSignificant(x, digits)`, the same double, faster in the common case. */
export function roundTrace(x: number, digits: number): number {
  if (digits === 0 || digits >= 17 || x === 0 || x !== x) return x;
  const ax = x < 0 ? -x : x;
  if (!(ax >= 1e-6 && ax < P10[digits]) || Math.floor(ax) === ax) {
    return roundSignificant(x, digits);
  }
  let e = 0;
  if (ax >= 1) {
    while (ax >= P10[e + 1]) e++;
  } else {
    let k = 0;
    while (k < 6 && ax < NEG10[k]) k++;
    e = -k;
  }
  const low = P10[digits - 1], top = P10[digits];
  for (let tries = 0; tries < 3; tries++) {
    const s = digits - 1 - e;
    const h = ax * P10[s]; // NaN when s is out of the table: handed on below
    const m = Math.round(h);
    if (!(h >= 1 && h < INT_LIMIT) || !(Math.abs(h - m) < 0.5 - h * 2.3e-16)) break;
    if (m < low) e--;
    else if (m > top) e++;
    else {
      const r = m / P10[s];
      return x < 0 ? -r : r;
    }
  }
  return roundSignificant(x, digits);
}
