/**
 * Descriptive statistics on typed arrays. NaN values are ignored everywhere;
 * an input with no finite value gives NaN (never throws).
 */
import { select } from "./standardize.ts";

/** The finite values of `xs`, copied into a new array. */
export function finite(xs: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) out[k++] = xs[i];
  return out;
}

/** Arithmetic mean of the finite values. */
export function mean(xs: ArrayLike<number>): number {
  let s = 0, n = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (Number.isFinite(x)) {
      s += x;
      n++;
    }
  }
  return n === 0 ? NaN : s / n;
}

/** Variance of the finite values (`ddof` 0 = population, 1 = sample); two-pass. */
export function variance(xs: ArrayLike<number>, ddof = 0): number {
  const m = mean(xs);
  if (Number.isNaN(m)) return NaN;
  let s = 0, n = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (Number.isFinite(x)) {
      s += (x - m) * (x - m);
      n++;
    }
  }
  return n - ddof <= 0 ? NaN : s / (n - ddof);
}

/** Standard deviation of the finite values. */
export function std(xs: ArrayLike<number>, ddof = 0): number {
  return Math.sqrt(variance(xs, ddof));
}

/** Sorted copy of the finite values. */
export function sortedFinite(xs: ArrayLike<number>): Float64Array {
  return finite(xs).sort();
}

/**
 * Quantile `q` ∈ [0, 1] of already sorted values with linear interpolation
 * between closest ranks (numpy's default "linear" method, Hyndman & Fan type 7).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Quantile `q` of the finite values (numpy "linear"): `quantileSorted` of
 * their sorted copy, with the two order statistics it reads found by
 * quickselect (O(n)) instead of a sort. The result is the same number: the
 * formula sees the same two values (a zero's sign cannot reach the result).
 */
export function quantile(xs: ArrayLike<number>, q: number): number {
  const f = finite(xs);
  const n = f.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const a = select(f, lo);
  let b = a;
  if (lo + 1 <= n - 1) {
    b = Infinity;
    for (let i = lo + 1; i < n; i++) if (f[i] < b) b = f[i];
  }
  return a + (h - lo) * (b - a);
}

/** Median of the finite values. */
export function median(xs: ArrayLike<number>): number {
  return quantile(xs, 0.5);
}

/** Median absolute deviation around `center` (default: the median); unscaled. */
export function mad(xs: ArrayLike<number>, center: number = median(xs)): number {
  const f = finite(xs);
  for (let i = 0; i < f.length; i++) f[i] = Math.abs(f[i] - center);
  return median(f);
}
