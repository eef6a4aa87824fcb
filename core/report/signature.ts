/**
 * Fault signatures in words. scores.csv's `signature` column
 * holds the test word of the row's top culprit (mean_up, mean_down, variance_up,
 * variance_down); an episode's signature is the most frequent one over its rows.
 */

/** Plain words for each signature test word. */
export const SIGNATURE_WORDS: Record<string, string> = {
  mean_up: "mean shift up",
  mean_down: "mean shift down",
  variance_up: "variance up (noisy / oscillating)",
  variance_down: "stuck / flat (variance down)",
};

/** The words of a signature test word (an unknown word is shown as it is; "" stays ""). */
export function signatureWords(word: string): string {
  return SIGNATURE_WORDS[word] ?? word;
}

/** Most frequent non-empty value of `labels` on rows with `t` in [start, end]; "" when none. */
export function dominantLabel(
  t: Float64Array,
  labels: readonly string[],
  start: number,
  end: number,
): string {
  const n = new Map<string, number>();
  for (let i = 0; i < t.length; i++) {
    if (t[i] < start || t[i] > end || !labels[i]) continue;
    n.set(labels[i], (n.get(labels[i]) ?? 0) + 1);
  }
  let best = "", k = 0;
  for (const [w, c] of n) if (c > k) (best = w, k = c);
  return best;
}
