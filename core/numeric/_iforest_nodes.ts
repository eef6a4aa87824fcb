/**
 * Isolation-forest node storage, c(n), and forests built from explicit trees.
 * Private to core/numeric; the public API is isolation_forest.ts.
 */
import type { IsolationForestModel } from "./isolation_forest.ts";

const EULER_GAMMA = 0.5772156649015329;

/** Average path length of an unsuccessful BST search among n points, c(n) (Liu et al. 2008, eq. 1). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** Flat node arrays of a forest, allocated to a fixed capacity. */
export class NodeStore {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  size: Int32Array;
  pathLength: Float64Array;
  count = 0;
  constructor(capacity: number) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.size = new Int32Array(capacity);
    this.pathLength = new Float64Array(capacity);
  }
  /** Index of a new node. */
  alloc(): number {
    return this.count++;
  }
}

/** One tree given explicitly: node arrays with local indices, node 0 the root, feature −1 a leaf. */
export interface ExplicitTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  size: number[];
}

/**
 * Builds a forest from explicit trees (hand-built forests, imports): leaf path
 * lengths depth + c(size) are derived here exactly as in {@link fitIsolationForest}.
 */
export function assembleForest(
  trees: readonly ExplicitTree[],
  psi: number,
  cols: number,
  medians = new Float64Array(cols),
): IsolationForestModel {
  const total = trees.reduce((s, t) => s + t.feature.length, 0);
  const store = new NodeStore(Math.max(1, total));
  const roots = new Int32Array(trees.length);
  let maxDepth = 0;
  trees.forEach((t, ti) => {
    const base = store.count;
    roots[ti] = base;
    for (let i = 0; i < t.feature.length; i++) {
      const node = store.alloc();
      store.feature[node] = t.feature[i];
      store.threshold[node] = t.threshold[i];
      store.left[node] = t.feature[i] >= 0 ? base + t.left[i] : 0;
      store.right[node] = t.feature[i] >= 0 ? base + t.right[i] : 0;
      store.size[node] = t.size[i];
    }
    const stack = [base, 0];
    while (stack.length > 0) {
      const depth = stack.pop()!, node = stack.pop()!;
      maxDepth = Math.max(maxDepth, depth);
      if (store.feature[node] < 0) {
        store.pathLength[node] = depth + averagePathLength(store.size[node]);
      } else {
        stack.push(store.left[node], depth + 1, store.right[node], depth + 1);
      }
    }
  });
  return {
    cols,
    nTrees: trees.length,
    psi,
    maxDepth,
    medians,
    roots,
    feature: store.feature,
    threshold: store.threshold,
    left: store.left,
    right: store.right,
    size: store.size,
    pathLength: store.pathLength,
  };
}
