/**
 * Fault signatures in words. scores.csv's `signature` column
 * holds the test word of the row's top culprit (mean_up, mean_down, variance_up,
 * variance_down, frozen); an episode's signature is the most frequent one over its rows.
 */
import { lowerBound } from "../numeric/lower_bound.ts";

/** Plain words for each signature test word. */
export const SIGNATURE_WORDS: Record<string, string> = {
  mean_up: "mean shift up",
  mean_down: "mean shift down",
  variance_up: "variance up (noisy / oscillating)",
  variance_down: "stuck / flat (variance down)",
  frozen: "stuck (frozen reading)",
};

/** The words of a signature test word (an unknown word is shown as it is; "" stays ""). */
export function signatureWords(word: string): string {
  return SIGNATURE_WORDS[word] ?? word;
}

/** Whether `t` never decreases (no NaN): dominantLabel() may then search instead of scanning. */
export function ascending(t: Float64Array): boolean {
  for (let i = 1; i < t.length; i++) if (!(t[i] >= t[i - 1])) return false;
  return t.length === 0 || t[0] === t[0];
}

/**
 * Most frequent non-empty value of `labels` on rows with `t` in [start, end]; "" when
 * none (a tie goes to the value met first). With `sorted` (ascending(t)) only the rows
 * of that span are visited.
 */
export function dominantLabel(
  t: Float64Array,
  labels: readonly string[],
  start: number,
  end: number,
  sorted = false,
): string {
  const n = new Map<string, number>();
  let i = 0, stop = t.length;
  if (sorted) i = lowerBound(t, start); // first row with t ≥ start
  for (; i < stop; i++) {
    if (t[i] < start || t[i] > end || !labels[i]) {
      if (sorted && t[i] > end) stop = i; // nothing later is in the span
      continue;
    }
    n.set(labels[i], (n.get(labels[i]) ?? 0) + 1);
  }
  let best = "", k = 0;
  for (const [w, c] of n) if (c > k) (best = w, k = c);
  return best;
}
