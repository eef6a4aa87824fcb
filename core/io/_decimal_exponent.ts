/**
 * The decimal exponent ⌊log10 a⌋ of a positive double, exactly, without a loop
 * or a logarithm: a in the binade [2^b, 2^(b+1)) has ⌊log10 a⌋ = g or g + 1,
 * with g = ⌊log10 2^b⌋ (log10 2 < 1, so a binade holds at most one power of ten),
 * and since a is a double, a ≥ 10^k exactly when a ≥ UP(k), the smallest double
 * ≥ 10^k — one comparison of doubles decides. Both tables are built with exact
 * comparisons (10^k for k < 0 is checked against its double through Dekker's
 * product, core/io/_exact_product.ts), not from a rounded logarithm. Shared by
 * significant-digit rounding (core/io/round_significant.ts) and its trace twin
 * (core/report/trace_rounding.ts).
 */
import { LO, P10, twoProduct } from "./_exact_product.ts";

/** Smallest and largest exponent decided: `decimalExponent` holds for 10^-8 ≤ a < 10^22. */
const K_MIN = -8, K_MAX = 21;

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/** Index of the word holding sign and exponent (1 on little-endian hosts). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The double after positive finite `a`. */
function nextUp(a: number): number {
  F64[0] = a;
  const lo = U32[1 - HI];
  if (lo === 0xffffffff) {
    U32[1 - HI] = 0;
    U32[HI]++;
  } else U32[1 - HI] = lo + 1;
  return F64[0];
}

/** UP[k − K_MIN]: the smallest double ≥ 10^k, K_MIN ≤ k ≤ K_MAX + 1. */
const UP = Float64Array.from({ length: K_MAX + 2 - K_MIN }, (_, i) => {
  const k = i + K_MIN;
  if (k >= 0) return P10[k]; // exact
  const c = Number(`1e${k}`); // nearest: either side of 10^k
  const hi = twoProduct(c, -k); // c·10^-k = hi + LO[0] exactly
  return hi > 1 || (hi === 1 && LO[0] >= 0) ? c : nextUp(c);
});

/** G[e + 1023] = ⌊log10 2^e⌋ clamped to K_MIN…K_MAX: e is the biased exponent field less 1023. */
const G = Int8Array.from({ length: 2048 }, (_, b) => {
  const p = 2 ** (b - 1023); // 0 and Infinity at the ends: clamped
  let g = K_MIN;
  while (g < K_MAX && UP[g + 1 - K_MIN] <= p) g++;
  return g;
});

/** ⌊log10 a⌋ exactly, for a double 10^-8 ≤ a < 10^22 (outside: clamped, not exact). */
export function decimalExponent(a: number): number {
  F64[0] = a;
  const g = G[(U32[HI] >>> 20) & 2047];
  return a >= UP[g + 1 - K_MIN] ? g + 1 : g;
}
