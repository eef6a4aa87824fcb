/**
 * Isolation Forest (Liu, Ting & Zhou, "Isolation Forest", ICDM 2008; extended in
 * ACM TKDD 6(1), 2012). Each tree isolates a sub-sample of ψ rows by random
 * axis-parallel splits (feature uniform, threshold uniform in the node's range,
 * `x ≤ t` goes left) up to depth ⌈log2 ψ⌉. A row's path length h is the depth of
 * the leaf it reaches plus c(size) of that leaf; the score is
 * s = 2^(−E[h(x)] / c(ψ)), c(n) = 2H(n−1) − 2(n−1)/n with H(i) ≈ ln i + γ
 * (c(2) = 1, c(≤1) = 0). s ≈ 0.5 ordinary, → 1 isolated easily (anomalous).
 *
 * Trees are flat typed arrays (plain data): fast to score, trivial to save.
 * Non-finite inputs are replaced by the training column medians. Degenerate input:
 * fewer than 2 training rows gives a forest without trees, which scores 0.5 everywhere;
 * constant data gives single-leaf trees, which also score 0.5.
 */
import type { Rng } from "../rng.ts";
import { columnMedians } from "./_row_major.ts";
import { averagePathLength, NodeStore } from "./_iforest_nodes.ts";

export { assembleForest, averagePathLength, type ExplicitTree } from "./_iforest_nodes.ts";

/** Options of {@link fitIsolationForest}. */
export interface IsolationForestOptions {
  /** Number of trees (default 100). */
  nTrees?: number;
  /** Rows per tree ψ, clipped to the training rows (default 256). */
  sampleSize?: number;
  /** Draw each tree's rows with replacement (default false). */
  bootstrap?: boolean;
  /** Share of the columns each tree may split on, (0, 1] (default 1). */
  maxFeatures?:
    number; /** The columns' medians when already known (NaN for an empty column): spares recomputing them. */
  medians?: Float64Array;
}

/** A fitted forest: plain data and typed arrays (save = the object itself). */
export type IsolationForestModel = {
  /** Number of input columns. */
  cols: number;
  nTrees: number;
  /** Rows per tree actually used (ψ). */
  psi: number;
  /** Depth limit ⌈log2 ψ⌉. */
  maxDepth: number;
  /** Training column medians used to impute non-finite inputs. */
  medians: Float64Array;
  /** Root node index of each tree. */
  roots: Int32Array;
  /** Split column per node; −1 marks a leaf. */
  feature: Int32Array;
  /** Split threshold per node (`x ≤ threshold` goes left). */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Training rows that reached each node (the leaf size for leaves). */
  size: Int32Array;
  /** Per leaf: its depth + c(size); 0 for internal nodes. */
  pathLength: Float64Array;
};

function buildTree(
  x: Float64Array,
  cols: number,
  idx: Int32Array,
  feats: Int32Array,
  maxDepth: number,
  store: NodeStore,
  rng: Rng,
): number {
  const root = store.alloc();
  const stack: number[] = [root, 0, idx.length, 0];
  const order = feats.slice();
  while (stack.length > 0) {
    const depth = stack.pop()!, hi = stack.pop()!, lo = stack.pop()!, node = stack.pop()!;
    const size = hi - lo;
    store.size[node] = size;
    let split = -1, lo_v = 0, hi_v = 0;
    if (depth < maxDepth && size > 1) {
      // Draw columns without replacement until one is not constant on this node.
      for (let t = 0; t < order.length && split < 0; t++) {
        const r = t + rng.int(order.length - t);
        const f = order[r];
        order[r] = order[t];
        order[t] = f;
        let mn = Infinity, mx = -Infinity;
        for (let p = lo; p < hi; p++) {
          const v = x[idx[p] * cols + f];
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        }
        if (mx > mn) {
          split = f;
          lo_v = mn;
          hi_v = mx;
        }
      }
    }
    if (split < 0) {
      store.feature[node] = -1;
      store.pathLength[node] = depth + averagePathLength(size);
      continue;
    }
    let t = lo_v + rng.next() * (hi_v - lo_v);
    if (t >= hi_v) t = lo_v; // rounding guard: keeps both sides non-empty
    let p = lo, q = hi - 1;
    while (p <= q) {
      if (x[idx[p] * cols + split] <= t) p++;
      else {
        const tmp = idx[p];
        idx[p] = idx[q];
        idx[q] = tmp;
        q--;
      }
    }
    const l = store.alloc(), r = store.alloc();
    store.feature[node] = split;
    store.threshold[node] = t;
    store.left[node] = l;
    store.right[node] = r;
    stack.push(l, lo, p, depth + 1, r, p, hi, depth + 1);
  }
  return root;
}

/** Fits a seeded isolation forest on column-major `values` (`rows × cols`). */
export function fitIsolationForest(
  values: Float64Array,
  rows: number,
  cols: number,
  rng: Rng,
  options: IsolationForestOptions = {},
): IsolationForestModel {
  const nTreesWanted = Math.max(1, Math.floor(options.nTrees ?? 100));
  const psi = Math.max(0, Math.min(Math.floor(options.sampleSize ?? 256), rows));
  const maxDepth = Math.ceil(Math.log2(Math.max(psi, 2)));
  const medians = options.medians
    ? Float64Array.from(options.medians, (m) => (Number.isNaN(m) ? 0 : m)) // as columnMedians
    : columnMedians(values, rows, cols);
  const nTrees = psi >= 2 && cols > 0 ? nTreesWanted : 0;
  const store = new NodeStore(Math.max(1, nTrees * (2 * psi - 1)));
  const roots = new Int32Array(nTrees);
  if (nTrees > 0) {
    const m = Math.max(1, Math.min(cols, Math.floor((options.maxFeatures ?? 1) * cols)));
    const allCols = new Int32Array(cols).map((_, j) => j);
    const perm = new Int32Array(rows).map((_, i) => i);
    const picked = new Int32Array(psi);
    const local = new Float64Array(psi * cols); // the tree's rows, row-major, imputed
    const idx = new Int32Array(psi);
    for (let t = 0; t < nTrees; t++) {
      let feats = allCols;
      if (m < cols) {
        feats = allCols.slice();
        for (let a = 0; a < m; a++) {
          const b = a + rng.int(cols - a);
          const tmp = feats[a];
          feats[a] = feats[b];
          feats[b] = tmp;
        }
        feats = feats.slice(0, m);
      }
      if (options.bootstrap) {
        for (let s = 0; s < psi; s++) picked[s] = rng.int(rows);
      } else {
        for (let s = 0; s < psi; s++) {
          const b = s + rng.int(rows - s);
          const tmp = perm[s];
          perm[s] = perm[b];
          perm[b] = tmp;
          picked[s] = perm[s];
        }
      }
      for (let s = 0; s < psi; s++) {
        idx[s] = s;
        for (let j = 0; j < cols; j++) {
          const v = values[j * rows + picked[s]];
          local[s * cols + j] = v - v === 0 ? v : medians[j];
        }
      }
      roots[t] = buildTree(local, cols, idx, feats, maxDepth, store, rng);
    }
  }
  const n = store.count;
  return {
    cols,
    nTrees,
    psi,
    maxDepth,
    medians,
    roots,
    feature: store.feature.slice(0, n),
    threshold: store.threshold.slice(0, n),
    left: store.left.slice(0, n),
    right: store.right.slice(0, n),
    size: store.size.slice(0, n),
    pathLength: store.pathLength.slice(0, n),
  };
}

/** Scores and, on request, per-column contributions of {@link scoreIsolationForest}. */
export interface IsolationForestScores {
  /** s = 2^(−E[h]/c(ψ)) per row, in (0, 1]. */
  scores: Float64Array;
  /**
   * Column-major `rows × cols`, non-negative: for each tree, the path's shortfall
   * max(0, c(ψ) − h)/c(ψ) is shared among the splits on the path in proportion to
   * how much each isolated the row, ln(node size / child size), and credited to the
   * split's column; averaged over trees. A row's contributions sum to its mean
   * relative shortfall, so ordinary rows get ≈ 0 and isolated rows name the columns
   * whose splits cut them off.
   */
  contributions?: Float64Array;
}

/** Rows per row-major working block of `scoreIsolationForest`. */
const SCORE_BLOCK = 256;

/** Scores column-major `values` (`rows × model.cols`) with a fitted forest. */
export function scoreIsolationForest(
  model: IsolationForestModel,
  values: Float64Array,
  rows: number,
  options: { contributions?: boolean } = {},
): IsolationForestScores {
  const cols = model.cols;
  const scores = new Float64Array(rows);
  const contributions = options.contributions ? new Float64Array(rows * cols) : undefined;
  const cPsi = averagePathLength(model.psi);
  if (model.nTrees === 0 || cPsi === 0) {
    scores.fill(0.5);
    return { scores, contributions };
  }
  const { feature, threshold, left, right, pathLength, medians } = model;
  const h = new Float64Array(rows);
  const path = new Int32Array(model.maxDepth + 1);
  const bits = new Float64Array(model.maxDepth + 1);
  const logSize = contributions
    ? Float64Array.from(model.size, (v) => Math.log(v))
    : model.pathLength;
  const norm = 1 / (model.nTrees * cPsi);
  // Rows in blocks copied row-major (non-finite values replaced by the training
  // medians as they are copied); inside a block, tree-outer. The block (≤ 100 KB)
  // and one tree's nodes stay in cache, where reading the column-major chunk in
  // place touched a new cache line per split. Every row still sums its trees in
  // order, so results are bit-identical to the unblocked loop.
  const xb = new Float64Array(Math.min(rows, SCORE_BLOCK) * cols);
  for (let r0 = 0; r0 < rows; r0 += SCORE_BLOCK) {
    const nb = Math.min(SCORE_BLOCK, rows - r0);
    for (let f = 0; f < cols; f++) {
      const src = f * rows + r0, med = medians[f];
      for (let i = 0; i < nb; i++) {
        const v = values[src + i];
        xb[i * cols + f] = v - v === 0 ? v : med;
      }
    }
    for (let t = 0; t < model.nTrees; t++) {
      const root = model.roots[t];
      for (let i = 0; i < nb; i++) {
        const row = i * cols;
        let node = root, depth = 0;
        if (contributions === undefined) {
          while (feature[node] >= 0) {
            node = xb[row + feature[node]] <= threshold[node] ? left[node] : right[node];
          }
          h[r0 + i] += pathLength[node];
          continue;
        }
        while (feature[node] >= 0) {
          const f = feature[node];
          const child = xb[row + f] <= threshold[node] ? left[node] : right[node];
          path[depth] = f;
          bits[depth] = logSize[node] - logSize[child];
          depth++;
          node = child;
        }
        const len = pathLength[node];
        h[r0 + i] += len;
        if (depth > 0 && len < cPsi) {
          let totalBits = 0;
          for (let p = 0; p < depth; p++) totalBits += bits[p];
          if (totalBits > 0) {
            const w = ((cPsi - len) * norm) / totalBits;
            for (let p = 0; p < depth; p++) contributions[path[p] * rows + r0 + i] += w * bits[p];
          }
        }
      }
    }
  }
  for (let i = 0; i < rows; i++) scores[i] = Math.pow(2, -(h[i] * norm));
  return { scores, contributions };
}
