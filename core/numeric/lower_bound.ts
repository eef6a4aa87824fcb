/** Binary search in an ascending array. */

/** First index `i` with `xs[i] >= x` in ascending `xs` (`xs.length` when none). */
export function lowerBound(xs: ArrayLike<number>, x: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
