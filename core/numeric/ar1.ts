/**
 * Per-column AR(1) residual scores (ACM V8 §4.1): μ = mean, φ = lag-1
 * regression slope of the centred series Σ x̃_t x̃_{t−1} / Σ x̃²_{t−1} (NaNs
 * dropped, so gaps collapse), |φ| ≤ cap, σ = population std of the one-step
 * residuals r_t = x̃_t − φ x̃_{t−1}, z_t = |x_t − μ − φ(x_{t−1} − μ)| / σ.
 * The fit keeps mergeable sufficient statistics (counts and sums of the values
 * shifted by a fixed reference c, near the training mean so the sums do not
 * cancel), so `update` = merge sums, re-derive μ, φ, σ — same formulas.
 */
import { quantileSorted } from "./stats.ts";

/** Sufficient statistics per column (arrays over columns), values shifted by `shift`. */
export interface Ar1Stats {
  shift: Float64Array;
  /** Finite values: count, Σ(x−c), Σ(x−c)². */
  n: Float64Array;
  s1: Float64Array;
  s2: Float64Array;
  /** Consecutive finite pairs (a = x_t − c, b = x_{t−1} − c): count, Σa, Σb, Σa², Σb², Σab. */
  np: Float64Array;
  sa: Float64Array;
  sb: Float64Array;
  saa: Float64Array;
  sbb: Float64Array;
  sab: Float64Array;
}

const FIELDS = ["n", "s1", "s2", "np", "sa", "sb", "saa", "sbb", "sab"] as const;

/** Statistics of a column-major matrix; `shift` defaults to each column's finite mean (0 when none). */
export function ar1Stats(
  values: Float64Array,
  rows: number,
  cols: number,
  shift?: Float64Array,
): Ar1Stats {
  const st = {
    shift: shift ? shift.slice() : new Float64Array(cols),
    ...Object.fromEntries(FIELDS.map((f) => [f, new Float64Array(cols)])),
  } as Ar1Stats;
  for (let j = 0; j < cols; j++) {
    const base = j * rows;
    if (!shift) {
      let s = 0, n = 0;
      for (let i = 0; i < rows; i++) {
        const x = values[base + i];
        if (x - x === 0) {
          s += x;
          n++;
        }
      }
      st.shift[j] = n > 0 ? s / n : 0;
    }
    const c = st.shift[j];
    let n = 0, s1 = 0, s2 = 0, np = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    let prev = NaN;
    for (let i = 0; i < rows; i++) {
      const x = values[base + i];
      if (!(x - x === 0)) continue;
      const a = x - c;
      n++;
      s1 += a;
      s2 += a * a;
      if (prev === prev) {
        np++;
        sa += a;
        sb += prev;
        saa += a * a;
        sbb += prev * prev;
        sab += a * prev;
      }
      prev = a;
    }
    st.n[j] = n, st.s1[j] = s1, st.s2[j] = s2, st.np[j] = np, st.sa[j] = sa;
    st.sb[j] = sb, st.saa[j] = saa, st.sbb[j] = sbb, st.sab[j] = sab;
  }
  return st;
}

/** Sum of two statistics with the same shift (pairs across the boundary are not formed). */
export function mergeAr1Stats(a: Ar1Stats, b: Ar1Stats): Ar1Stats {
  const out = { shift: a.shift.slice() } as Ar1Stats;
  for (const f of FIELDS) out[f] = a[f].map((v, j) => v + b[f][j]);
  return out;
}

/** Fitted per-column parameters; `constant` columns (no spread) score 0 and are left out of row scores. */
export interface Ar1Params {
  mu: Float64Array;
  phi: Float64Array;
  sigma: Float64Array;
  constant: Uint8Array;
}

/**
 * μ, φ, σ from the statistics. |φ| ≤ phiCap; φ = 0 with fewer than 3 values;
 * σ ≥ max(sigmaFloorRatio · std(x), 1e-12) so a very predictable series cannot
 * give unbounded z. A column with std ≤ 1e-9·max(1, |μ|) is constant.
 */
export function ar1Params(st: Ar1Stats, phiCap = 0.999, sigmaFloorRatio = 1e-3): Ar1Params {
  const cols = st.n.length;
  const p: Ar1Params = {
    mu: new Float64Array(cols),
    phi: new Float64Array(cols),
    sigma: new Float64Array(cols),
    constant: new Uint8Array(cols),
  };
  for (let j = 0; j < cols; j++) {
    const n = st.n[j];
    if (n === 0) {
      p.mu[j] = st.shift[j];
      p.sigma[j] = 1;
      p.constant[j] = 1;
      continue;
    }
    const m = st.s1[j] / n; // μ − c
    const mu = st.shift[j] + m;
    const variance = Math.max(0, st.s2[j] / n - m * m);
    const std = Math.sqrt(variance);
    p.mu[j] = mu;
    if (!(std > 1e-9 * Math.max(1, Math.abs(mu)))) {
      p.sigma[j] = 1;
      p.constant[j] = 1;
      continue;
    }
    const np = st.np[j];
    let phi = 0, sigma = std;
    if (n >= 3 && np > 0) {
      const sab = st.sab[j] - m * (st.sa[j] + st.sb[j]) + np * m * m;
      const sbb = st.sbb[j] - 2 * m * st.sb[j] + np * m * m;
      const saa = st.saa[j] - 2 * m * st.sa[j] + np * m * m;
      phi = sbb > 0 ? sab / sbb : 0;
      phi = Math.max(-phiCap, Math.min(phiCap, phi));
      const sr = st.sa[j] - np * m - phi * (st.sb[j] - np * m);
      const srr = saa - 2 * phi * sab + phi * phi * sbb;
      sigma = Math.sqrt(Math.max(0, srr / np - (sr / np) * (sr / np)));
    }
    p.phi[j] = phi;
    p.sigma[j] = Math.max(sigma, sigmaFloorRatio * std, 1e-12);
  }
  return p;
}

/**
 * z per cell (column-major): |x_t − μ − φ(x_{t−1} − μ)| / σ. The first row
 * predicts from μ (the previous chunk is not seen); a NaN input gives z = NaN
 * and μ as the next row's lagged value. Constant columns give z = 0.
 */
export function ar1Z(p: Ar1Params, values: Float64Array, rows: number): Float64Array {
  const cols = p.mu.length;
  const z = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    if (!p.constant[j]) columnZ(p, values, rows, j, z.subarray(j * rows, (j + 1) * rows));
  }
  return z;
}

/** Column j's z (see `ar1Z`) into `out` (length rows). */
function columnZ(p: Ar1Params, values: Float64Array, rows: number, j: number, out: Float64Array) {
  const base = j * rows;
  const mu = p.mu[j], phi = p.phi[j], inv = 1 / p.sigma[j];
  let prev = mu;
  for (let i = 0; i < rows; i++) {
    const x = values[base + i];
    if (x - x === 0) {
      const r = x - mu - phi * (prev - mu);
      out[i] = (r < 0 ? -r : r) * inv;
      prev = x;
    } else {
      out[i] = NaN;
      prev = mu;
    }
  }
}

/**
 * z of the rows `idx` only (`idx.length × cols`, column-major), each exactly as
 * `ar1Z` of the whole frame gives it (the lag is the frame's previous row).
 */
export function ar1ZRows(
  p: Ar1Params,
  values: Float64Array,
  rows: number,
  idx: Int32Array,
): Float64Array {
  const cols = p.mu.length, m = idx.length;
  const z = new Float64Array(m * cols);
  for (let j = 0; j < cols; j++) {
    if (p.constant[j]) continue;
    const base = j * rows, mu = p.mu[j], phi = p.phi[j], inv = 1 / p.sigma[j];
    for (let k = 0; k < m; k++) {
      const i = idx[k], x = values[base + i];
      const lag = i > 0 ? values[base + i - 1] : NaN;
      const prev = lag - lag === 0 ? lag : mu;
      if (x - x === 0) {
        const r = x - mu - phi * (prev - mu);
        z[j * m + k] = (r < 0 ? -r : r) * inv;
      } else z[j * m + k] = NaN;
    }
  }
  return z;
}

/**
 * Row scores without contributions. "mean" and "max" never hold more than one
 * column's z (a rows × cols z matrix is 20 MB at 50,000 × 50); "p95" needs
 * every z of a row and goes through `ar1Z` + `aggregateRows`. Same values as those.
 */
export function ar1Scores(
  p: Ar1Params,
  values: Float64Array,
  rows: number,
  how: Ar1Aggregate,
): Float64Array {
  if (how === "p95") return aggregateRows(ar1Z(p, values, rows), rows, p.constant, how);
  const z = new Float64Array(rows), sum = new Float64Array(rows);
  const count = new Float64Array(rows), max = new Float64Array(rows);
  for (let j = 0; j < p.mu.length; j++) {
    if (p.constant[j]) continue;
    columnZ(p, values, rows, j, z);
    for (let i = 0; i < rows; i++) {
      const v = z[i];
      if (v - v === 0) {
        count[i]++;
        sum[i] += v;
        if (v > max[i]) max[i] = v;
      }
    }
  }
  if (how === "max") return max;
  for (let i = 0; i < rows; i++) sum[i] = count[i] > 0 ? sum[i] / count[i] : 0;
  return sum;
}

/** How column z's become one row score. */
export type Ar1Aggregate = "mean" | "max" | "p95";

/**
 * Row score over the finite z of non-constant columns (0 when there is none);
 * see `shareContributions` for the per-column split.
 */
export function aggregateRows(
  z: Float64Array,
  rows: number,
  constant: Uint8Array,
  how: Ar1Aggregate,
): Float64Array {
  const cols = constant.length;
  const score = new Float64Array(rows);
  const sum = rowSums(z, rows, constant), count = new Float64Array(rows);
  const max = new Float64Array(rows);
  // Column-wise passes over contiguous memory: per-row count and max of the finite z.
  for (let j = 0; j < cols; j++) {
    if (constant[j]) continue;
    const base = j * rows;
    for (let i = 0; i < rows; i++) {
      const v = z[base + i];
      if (v - v === 0) {
        count[i]++;
        if (v > max[i]) max[i] = v;
      }
    }
  }
  if (how === "mean") {
    for (let i = 0; i < rows; i++) {
      score[i] = count[i] > 0 ? sum[i] / count[i] : 0;
    }
  } else if (how === "max") score.set(max);
  else {
    const buf = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      let k = 0;
      for (let j = 0; j < cols; j++) {
        const v = z[j * rows + i];
        if (!constant[j] && v - v === 0) buf[k++] = v;
      }
      score[i] = k > 0 ? quantileSorted(buf.subarray(0, k).sort(), 0.95) : 0;
    }
  }
  return score;
}

/**
 * Per-column contributions score · z_j / Σ z (they sum to the score; 0 for
 * non-finite z and constant columns), written over `z` itself — the z are not
 * needed afterwards and a second rows × cols array is not allocated.
 */
export function shareContributions(
  z: Float64Array,
  rows: number,
  constant: Uint8Array,
  score: Float64Array,
): Float64Array {
  const sum = rowSums(z, rows, constant);
  for (let i = 0; i < rows; i++) sum[i] = sum[i] > 0 ? score[i] / sum[i] : 0;
  for (let j = 0; j < constant.length; j++) {
    const base = j * rows;
    if (constant[j]) {
      z.fill(0, base, base + rows);
      continue;
    }
    for (let i = 0; i < rows; i++) {
      const v = z[base + i];
      z[base + i] = v - v === 0 ? v * sum[i] : 0;
    }
  }
  return z;
}

/** Per-row sum of the finite z of non-constant columns. */
function rowSums(z: Float64Array, rows: number, constant: Uint8Array): Float64Array {
  const sum = new Float64Array(rows);
  for (let j = 0; j < constant.length; j++) {
    if (constant[j]) continue;
    const base = j * rows;
    for (let i = 0; i < rows; i++) {
      const v = z[base + i];
      if (v - v === 0) sum[i] += v;
    }
  }
  return sum;
}
