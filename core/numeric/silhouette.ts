/**
 * Silhouette coefficient (Rousseeuw, "Silhouettes: a graphical aid to the
 * interpretation and validation of cluster analysis", J. Comput. Appl. Math. 20,
 * 1987): per row s = (b − a) / max(a, b), a = mean distance to the other members of
 * its cluster, b = lowest mean distance to another cluster; s = 0 for a singleton
 * cluster. The score is the mean s, Euclidean distances.
 *
 * With `sampleSize < n` the score is computed on a seeded sample of rows (distances
 * only within the sample, as scikit-learn's `sample_size`). Rows labelled < 0 are
 * ignored. Returns NaN when fewer than 2 or more than m − 1 clusters are present.
 */
import type { Rng } from "../rng.ts";
import { sampleWithoutReplacement } from "./_sample.ts";
import { scratchKernels } from "./wasm/kernels.ts";

/** Options of {@link silhouetteScore}. */
export interface SilhouetteOptions {
  /** Rows to sample; all rows when absent or ≥ n (then `rng` is not needed). */
  sampleSize?: number;
  /** Generator for the sample. */
  rng?: Rng;
}

/** Mean silhouette of row-major `x` (`n × d`) under `labels`; NaN when undefined. */
export function silhouetteScore(
  x: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  options: SilhouetteOptions = {},
): number {
  let rows: Int32Array;
  const m0 = options.sampleSize ?? n;
  if (m0 < n) {
    if (!options.rng) throw new TypeError("Cannot sample silhouette rows: no rng given");
    rows = sampleWithoutReplacement(n, Math.max(0, Math.floor(m0)), options.rng);
  } else {
    rows = sampleWithoutReplacement(n, n, options.rng as Rng);
  }
  rows = rows.filter((i) => labels[i] >= 0);
  const m = rows.length;
  const { lab, size, L } = denseLabels(Int32Array.from(rows, (i) => labels[i]));
  if (L < 2 || L > m - 1) return NaN;
  // Summed distance from each sampled row to each cluster; each pair computed once.
  const sums = new Float64Array(m * L);
  for (let r = 0; r < m; r++) {
    const a0 = rows[r] * d, lr = lab[r];
    for (let q = r + 1; q < m; q++) {
      const b0 = rows[q] * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = x[a0 + j] - x[b0 + j];
        s += t * t;
      }
      const dist = Math.sqrt(s);
      sums[r * L + lab[q]] += dist;
      sums[q * L + lr] += dist;
    }
  }
  return meanSilhouette(sums, lab, size, L, m);
}

/**
 * Condensed pairwise Euclidean distances between the rows `rows` of row-major
 * `x` (`· × d`): the pair r < q sits at r·m − r(r+1)/2 + (q − r − 1), m = rows.length
 * (the layout of SciPy's `pdist`). Lets several labelings share one sample.
 */
export function pairwiseDistances(x: Float64Array, d: number, rows: Int32Array): Float64Array {
  const m = rows.length;
  const out = new Float64Array((m * (m - 1)) / 2);
  // The sampled rows copied next to each other: the pair loop then walks memory in order.
  const s = new Float64Array(m * d);
  for (let r = 0; r < m; r++) s.set(x.subarray(rows[r] * d, rows[r] * d + d), r * d);
  x = s;
  let p = 0;
  for (let r = 0; r < m; r++) {
    const a0 = r * d;
    let q = r + 1;
    // Four pairs at a time: four independent sums (each in the same order as one
    // pair alone, so bit-identical) share every load of row r.
    for (; q + 3 < m; q += 4) {
      const b0 = q * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < d; j++) {
        const a = x[a0 + j];
        const t0 = a - x[b0 + j], t1 = a - x[b1 + j], t2 = a - x[b2 + j], t3 = a - x[b3 + j];
        s0 += t0 * t0;
        s1 += t1 * t1;
        s2 += t2 * t2;
        s3 += t3 * t3;
      }
      out[p++] = Math.sqrt(s0);
      out[p++] = Math.sqrt(s1);
      out[p++] = Math.sqrt(s2);
      out[p++] = Math.sqrt(s3);
    }
    for (; q < m; q++) {
      const b0 = q * d;
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const t = x[a0 + j] - x[b0 + j];
        sum += t * t;
      }
      out[p++] = Math.sqrt(sum);
    }
  }
  return out;
}

/**
 * Mean silhouette of `m` rows from their condensed distances (see
 * {@link pairwiseDistances}) and labels (< 0 = ignored); equals
 * {@link silhouetteScore} on the same rows. NaN when undefined.
 */
export function silhouetteFromDistances(dist: Float64Array, m: number, labels: Int32Array): number {
  let used = 0;
  for (let r = 0; r < m; r++) if (labels[r] >= 0) used++;
  const { lab, size, L } = denseLabels(labels.subarray(0, m));
  if (L < 2 || L > used - 1) return NaN;
  const sums = new Float64Array(m * L);
  let p = 0;
  for (let r = 0; r < m; r++) {
    const lr = lab[r];
    if (lr < 0) {
      p += m - r - 1;
      continue;
    }
    for (let q = r + 1; q < m; q++, p++) {
      const lq = lab[q];
      if (lq < 0) continue;
      sums[r * L + lq] += dist[p];
      sums[q * L + lr] += dist[p];
    }
  }
  return meanSilhouette(sums, lab, size, L, used);
}

/**
 * Mean silhouettes of several labelings of the same sampled rows `rows` of
 * row-major `x` (`· × d`), each `labelings[g][r]` the label of sampled row r (< 0 =
 * ignored): one pass over the pairs, each distance computed once (as
 * pairwiseDistances computes it), so each result equals
 * silhouetteFromDistances(pairwiseDistances(x, d, rows), m, labelings[g]) bit for
 * bit, without the m(m−1)/2 distance array. NaN for a labeling where undefined.
 *
 * silhouetteFromDistances adds into the sum of row r and cluster c the distances
 * to the members q of c in ascending q (those below r while passing them, then
 * those above r). Here, with row r's distances to the rows above it at hand, the
 * rows below have already added theirs; one contiguous pass adds d(r, q) to the
 * sums of every q > r for r's cluster, and the members q > r of each cluster
 * continue row r's sums in ascending q: the same additions in the same order.
 */
export function silhouettesOfSample(
  x: Float64Array,
  d: number,
  rows: Int32Array,
  labelings: readonly Int32Array[],
): number[] {
  const m = rows.length, G = labelings.length;
  const out: number[] = new Array(G).fill(NaN);
  const dense = labelings.map((l) => denseLabels(l.subarray(0, m)));
  const used = labelings.map((l) => {
    let u = 0;
    for (let r = 0; r < m; r++) if (l[r] >= 0) u++;
    return u;
  });
  const active = dense.map((_, g) => g).filter((g) =>
    !(dense[g].L < 2 || dense[g].L > used[g] - 1)
  );
  if (active.length === 0) return out;
  // Per active labeling: sums cluster-major (c·m + r), members of each cluster ascending.
  const groups = active.map((g) => clusterMembers(dense[g].lab, dense[g].size));
  // Kernel memory: the sampled rows, four of them in pairs, their distance rows, the sums.
  const quadAt = Math.ceil((m * d) / 2) * 16, distAt = quadAt + 32 * d;
  // Per labeling its sums, then its labels, members, starts and cursors (i32).
  const sumsAt: number[] = [], labAt: number[] = [];
  let bytes = distAt + 32 * m;
  for (const g of active) {
    sumsAt.push(bytes);
    bytes += Math.ceil(dense[g].L * m / 2) * 16;
    labAt.push(bytes);
    bytes += Math.ceil((2 * m + 2 * dense[g].L + 1) / 4) * 16;
  }
  const { kernels, buffer } = scratchKernels(bytes);
  const sumsT = active.map((g, a) => new Float64Array(buffer, sumsAt[a], dense[g].L * m).fill(0));
  const at = active.map((g, a) => {
    const L = dense[g].L, lab = labAt[a], members = lab + 4 * m, start = members + 4 * m;
    new Int32Array(buffer, lab, m).set(dense[g].lab);
    const mine = {
      members: new Int32Array(buffer, members, m),
      start: new Int32Array(buffer, start, L + 1),
      next: new Int32Array(buffer, start + 4 * (L + 1), L),
    };
    mine.members.set(groups[a].members);
    mine.start.set(groups[a].start);
    mine.next.set(groups[a].next);
    groups[a] = mine; // the cursors shared with the kernel
    return { lab, members, start, next: start + 4 * (L + 1), L };
  });
  // Row r's part of the contiguous pass: d(r, q) into the sums of r's cluster, q > r.
  const addAbove = (a: number, lr: number, r: number, l: number) =>
    kernels.addrow(sumsAt[a] + 8 * (lr * m + r + 1), distAt + 8 * (m * l + r + 1), m - r - 1);
  // Row r's distances to the rows above it continue the sums (see above).
  const addRow = (r: number, l: number) => {
    const dist = dists[l];
    for (let a = 0; a < active.length; a++) {
      const lr = dense[active[a]].lab[r];
      if (lr < 0) continue;
      const T = sumsT[a];
      addAbove(a, lr, r, l);
      const { members, start, next } = groups[a];
      for (let c = 0; c + 1 < start.length; c++) {
        let p = next[c];
        const end = start[c + 1];
        while (p < end && members[p] <= r) p++;
        next[c] = p;
        let acc = T[c * m + r];
        for (; p < end; p++) acc += dist[members[p]];
        T[c * m + r] = acc;
      }
    }
  };
  // Rows r0..r0+3 at once: first each one's contiguous pass (in row order; they
  // touch only sums of rows above it), then their sums continued together in the
  // kernel `silsums4`, four independent running sums per cluster (the members in
  // (r0, r0 + 3] first, each only for the rows below it).
  const addFour = (r0: number) => {
    for (let a = 0; a < active.length; a++) {
      const lab = dense[active[a]].lab, p = at[a];
      for (let l = 0; l < 4; l++) if (lab[r0 + l] >= 0) addAbove(a, lab[r0 + l], r0 + l, l);
      kernels.silsums4(sumsAt[a], m, p.members, p.start, p.next, p.L, distAt, r0, p.lab);
    }
  };
  // In the WebAssembly kernel `rowdist` (wasm/kernels.wat): the distances from
  // four rows at a time to the rows above them, each lane the scalar sum.
  const s = new Float64Array(buffer, 0, m * d); // the sampled rows next to each other
  for (let r = 0; r < m; r++) s.set(x.subarray(rows[r] * d, rows[r] * d + d), r * d);
  const quad = new Float64Array(buffer, quadAt, 4 * d);
  const dists = [0, 1, 2, 3].map((l) => new Float64Array(buffer, distAt + 8 * m * l, m));
  for (let r0 = 0; r0 < m; r0 += 4) {
    for (let l = 0; l < 4; l++) {
      const src = Math.min(r0 + l, m - 1) * d, o = (l >> 1) * 2 * d + (l & 1);
      for (let j = 0; j < d; j++) quad[o + 2 * j] = s[src + j];
    }
    kernels.rowdist(0, d, quadAt, r0 + 1, m, distAt, m);
    if (r0 + 4 <= m) addFour(r0);
    else for (let r = r0; r < m; r++) addRow(r, r - r0);
  }
  active.forEach((g, a) => {
    const { lab, size, L } = dense[g], T = sumsT[a];
    const sums = new Float64Array(m * L);
    for (let c = 0; c < L; c++) for (let r = 0; r < m; r++) sums[r * L + c] = T[c * m + r];
    out[g] = meanSilhouette(sums, lab, size, L, used[g]);
  });
  return out;
}

/**
 * The rows of each dense cluster in ascending order (`members[start[c] .. start[c+1])`),
 * rows labelled < 0 left out, and a cursor per cluster (`next`, from `start`).
 */
function clusterMembers(lab: Int32Array, size: Int32Array) {
  const L = size.length, start = new Int32Array(L + 1);
  for (let c = 0; c < L; c++) start[c + 1] = start[c] + size[c];
  const members = new Int32Array(start[L]), next = start.slice(0, L);
  for (let r = 0; r < lab.length; r++) if (lab[r] >= 0) members[next[lab[r]]++] = r;
  next.set(start.subarray(0, L));
  return { members, start, next };
}

/** Dense cluster ids 0..L−1 in order of first appearance (−1 stays −1) and cluster sizes. */
function denseLabels(labels: Int32Array): { lab: Int32Array; size: Int32Array; L: number } {
  const remap = new Map<number, number>();
  const lab = new Int32Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    const l = labels[r];
    if (l < 0) {
      lab[r] = -1;
      continue;
    }
    let c = remap.get(l);
    if (c === undefined) {
      c = remap.size;
      remap.set(l, c);
    }
    lab[r] = c;
  }
  const size = new Int32Array(remap.size);
  for (const c of lab) if (c >= 0) size[c]++;
  return { lab, size, L: remap.size };
}

/** Mean of s = (b − a)/max(a, b) over the `used` labelled rows, from per-row per-cluster distance sums. */
function meanSilhouette(
  sums: Float64Array,
  lab: Int32Array,
  size: Int32Array,
  L: number,
  used: number,
): number {
  let total = 0;
  for (let r = 0; r < lab.length; r++) {
    const own = lab[r];
    if (own < 0 || size[own] <= 1) continue; // ignored row; singleton: s = 0
    const a = sums[r * L + own] / (size[own] - 1);
    let b = Infinity;
    for (let c = 0; c < L; c++) {
      if (c !== own) b = Math.min(b, sums[r * L + c] / size[c]);
    }
    const den = Math.max(a, b);
    total += den > 0 ? (b - a) / den : 0;
  }
  return total / used;
}
