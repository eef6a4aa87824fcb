/** Loads tests/golden/golden_b.json (made by tests/golden/make_golden_b.py) and small test helpers. */
import type { ExplicitTree } from "../../../core/numeric/isolation_forest.ts";

/** Shape of golden_b.json. */
export interface GoldenB {
  silhouette: { x: number[][]; labels: number[]; score: number };
  gmm: {
    x: number[][];
    weights: number[];
    means: number[][];
    full: { covariances: number[][][]; log_prob: number[]; bic: number; n_parameters: number };
    diag: { covariances: number[][]; log_prob: number[]; bic: number; n_parameters: number };
  };
  average_path_length: { n: number[]; c: number[] };
  hand_forest: { trees: ExplicitTree[]; psi: number; x: number[][]; scores: number[] };
  outlier_ranking: {
    x: number[][];
    is_outlier: number[];
    sklearn_scores: number[];
    sklearn_auc: number;
  };
}

/** The golden values. */
export const golden: GoldenB = JSON.parse(
  Deno.readTextFileSync(new URL("../../golden/golden_b.json", import.meta.url)),
);

/** Row-major Float64Array from rows. */
export function rowMajor(rows: number[][]): Float64Array {
  return Float64Array.from(rows.flat());
}

/** Column-major Float64Array from rows. */
export function colMajor(rows: number[][]): Float64Array {
  const n = rows.length, d = n > 0 ? rows[0].length : 0;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j * n + i] = rows[i][j];
  return out;
}

/** Ranks (1-based, ties averaged). */
export function ranks(xs: ArrayLike<number>): Float64Array {
  const idx = Array.from(xs, (_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const out = new Float64Array(xs.length);
  for (let s = 0; s < idx.length;) {
    let e = s;
    while (e + 1 < idx.length && xs[idx[e + 1]] === xs[idx[s]]) e++;
    for (let t = s; t <= e; t++) out[idx[t]] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return out;
}

/** ROC AUC of `scores` for binary `positive` labels (Mann–Whitney U). */
export function auc(scores: ArrayLike<number>, positive: ArrayLike<number>): number {
  const r = ranks(scores);
  let nPos = 0, sumPos = 0;
  for (let i = 0; i < r.length; i++) {
    if (positive[i]) {
      nPos++;
      sumPos += r[i];
    }
  }
  const nNeg = r.length - nPos;
  return (sumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Spearman rank correlation. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(a), rb = ranks(b), n = ra.length;
  const m = (n + 1) / 2;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i] - m) * (rb[i] - m);
    saa += (ra[i] - m) ** 2;
    sbb += (rb[i] - m) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
