/**
 * Small dense linear algebra on row-major `Float64Array` matrices (d ≤ ~200):
 * symmetric eigen-decomposition, Cholesky factorisation, SPD solve / inverse and
 * condition number. Degenerate input never throws: documented values are returned.
 */

/** Eigenvalues (descending) and eigenvectors (column-major: column k = eigenvector k) of a symmetric matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric d×d row-major matrix `a` (only the lower
 * triangle is read). Method: Householder reduction to tridiagonal form followed
 * by the implicit QL algorithm with Wilkinson shifts (Golub & Van Loan,
 * "Matrix Computations", 4th ed., §8.3; Wilkinson & Reinsch, Handbook for
 * Automatic Computation II, 1971). Eigenvalues come sorted descending; each
 * eigenvector has unit norm and its largest-magnitude component positive, so
 * the result is deterministic. `vectors[k * d + i]` = component i of vector k.
 * d = 0 gives empty arrays; non-finite input gives NaN values and vectors.
 */
export function symmetricEigen(a: Float64Array, d: number): SymmetricEigen {
  if (d === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  for (let i = 0; i < d * d; i++) {
    if (!Number.isFinite(a[i])) {
      return { values: new Float64Array(d).fill(NaN), vectors: new Float64Array(d * d).fill(NaN) };
    }
  }
  const w = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      w[i * d + j] = a[i * d + j];
      w[j * d + i] = a[i * d + j];
    }
  }
  const diag = new Float64Array(d);
  const off = new Float64Array(d);
  // q: row-major, q[i * d + k] = component i of basis vector k (Q with A = Q T Qᵀ).
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++) q[i * d + i] = 1;
  tridiagonalize(w, d, diag, off, q);
  tridiagonalQl(diag, off, q, d);

  const order = Array.from({ length: d }, (_, k) => k).sort((x, y) => diag[y] - diag[x] || x - y);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const src = order[k];
    values[k] = diag[src];
    let big = 0, sign = 1;
    for (let i = 0; i < d; i++) {
      const v = q[i * d + src];
      if (Math.abs(v) > big) {
        big = Math.abs(v);
        sign = v < 0 ? -1 : 1;
      }
    }
    for (let i = 0; i < d; i++) vectors[k * d + i] = sign * q[i * d + src];
  }
  return { values, vectors };
}

/** Householder reduction of symmetric `w` (overwritten) to tridiagonal (diag, off); accumulates Q into `q`. */
function tridiagonalize(
  w: Float64Array,
  d: number,
  diag: Float64Array,
  off: Float64Array,
  q: Float64Array,
): void {
  const v = new Float64Array(d);
  const p = new Float64Array(d);
  const qv = new Float64Array(d);
  for (let k = 0; k < d - 2; k++) {
    const s = k + 1; // trailing block starts at s
    let scale = 0;
    for (let i = s; i < d; i++) scale = Math.max(scale, Math.abs(w[i * d + k]));
    if (scale === 0) continue;
    let norm2 = 0;
    for (let i = s; i < d; i++) {
      v[i] = w[i * d + k] / scale;
      norm2 += v[i] * v[i];
    }
    let alpha = Math.sqrt(norm2);
    if (v[s] > 0) alpha = -alpha; // reflect onto -sign(x0)·‖x‖ e1: no cancellation in v0
    v[s] -= alpha;
    let vnorm2 = 0;
    for (let i = s; i < d; i++) vnorm2 += v[i] * v[i];
    if (vnorm2 === 0) continue;
    const beta = 2 / vnorm2;
    // p = beta · B v over the trailing block B = w[s:, s:]
    for (let i = s; i < d; i++) {
      let acc = 0;
      const row = i * d;
      for (let j = s; j < d; j++) acc += w[row + j] * v[j];
      p[i] = beta * acc;
    }
    let vp = 0;
    for (let i = s; i < d; i++) vp += v[i] * p[i];
    const kk = 0.5 * beta * vp;
    for (let i = s; i < d; i++) p[i] -= kk * v[i]; // p becomes w-vector of the rank-2 update
    for (let i = s; i < d; i++) {
      const row = i * d;
      const vi = v[i], pi = p[i];
      for (let j = s; j < d; j++) w[row + j] -= vi * p[j] + pi * v[j];
    }
    const sub = alpha * scale;
    w[s * d + k] = sub;
    w[k * d + s] = sub;
    for (let i = s + 1; i < d; i++) {
      w[i * d + k] = 0;
      w[k * d + i] = 0;
    }
    // Q ← Q·H on columns s..d-1: Q[:, s:] -= beta (Q[:, s:] v) vᵀ
    for (let i = 0; i < d; i++) {
      let acc = 0;
      const row = i * d;
      for (let j = s; j < d; j++) acc += q[row + j] * v[j];
      qv[i] = beta * acc;
    }
    for (let i = 0; i < d; i++) {
      const row = i * d;
      const c = qv[i];
      if (c === 0) continue;
      for (let j = s; j < d; j++) q[row + j] -= c * v[j];
    }
  }
  for (let i = 0; i < d; i++) diag[i] = w[i * d + i];
  for (let i = 0; i < d - 1; i++) off[i] = w[(i + 1) * d + i];
  off[d - 1] = 0;
}

/**
 * Implicit QL with Wilkinson shifts on the symmetric tridiagonal (diag, off),
 * off[i] coupling i and i+1. Overwrites diag with eigenvalues and rotates the
 * columns of `q` (row-major) into eigenvectors.
 */
function tridiagonalQl(diag: Float64Array, off: Float64Array, q: Float64Array, d: number): void {
  const eps = Number.EPSILON;
  for (let l = 0; l < d; l++) {
    for (let iter = 0; iter < 100; iter++) {
      let m = l;
      for (; m < d - 1; m++) {
        const dd = Math.abs(diag[m]) + Math.abs(diag[m + 1]);
        if (Math.abs(off[m]) <= eps * dd) break;
      }
      if (m === l) break;
      let g = (diag[l + 1] - diag[l]) / (2 * off[l]);
      let r = Math.hypot(g, 1);
      g = diag[m] - diag[l] + off[l] / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * off[i];
        const b = c * off[i];
        r = Math.hypot(f, g);
        off[i + 1] = r;
        if (r === 0) {
          diag[i + 1] -= p;
          off[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = diag[i + 1] - p;
        r = (diag[i] - g) * s + 2 * c * b;
        p = s * r;
        diag[i + 1] = g + p;
        g = c * r - b;
        for (let k = 0; k < d; k++) {
          const row = k * d;
          const t = q[row + i + 1];
          q[row + i + 1] = s * q[row + i] + c * t;
          q[row + i] = c * q[row + i] - s * t;
        }
      }
      if (underflow) continue;
      diag[l] -= p;
      off[l] = g;
      off[m] = 0;
    }
  }
}

/**
 * Cholesky factor L (lower, row-major, A = L Lᵀ) of a symmetric positive
 * definite d×d row-major matrix (lower triangle read); null when a pivot is
 * not positive or not finite (the matrix is not SPD). Golub & Van Loan §4.2.
 */
export function cholesky(a: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j];
    const rj = j * d;
    for (let k = 0; k < j; k++) s -= l[rj + k] * l[rj + k];
    if (!(s > 0) || !Number.isFinite(s)) return null;
    const ljj = Math.sqrt(s);
    l[rj + j] = ljj;
    // Column j below the diagonal, four rows side by side (each sum in k order).
    let i = j + 1;
    for (; i + 4 <= d; i += 4) {
      const r0 = i * d, r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
      let t0 = a[r0 + j], t1 = a[r1 + j], t2 = a[r2 + j], t3 = a[r3 + j];
      for (let k = 0; k < j; k++) {
        const v = l[rj + k];
        t0 -= l[r0 + k] * v;
        t1 -= l[r1 + k] * v;
        t2 -= l[r2 + k] * v;
        t3 -= l[r3 + k] * v;
      }
      l[r0 + j] = t0 / ljj;
      l[r1 + j] = t1 / ljj;
      l[r2 + j] = t2 / ljj;
      l[r3 + j] = t3 / ljj;
    }
    for (; i < d; i++) {
      const ri = i * d;
      let t = a[ri + j];
      for (let k = 0; k < j; k++) t -= l[ri + k] * l[rj + k];
      l[ri + j] = t / ljj;
    }
  }
  return l;
}

/** Solves (L Lᵀ) x = b by forward and back substitution; `l` from `cholesky`. */
export function choleskySolve(l: Float64Array, d: number, b: Float64Array): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i];
    const ri = i * d;
    for (let k = 0; k < i; k++) s -= l[ri + k] * y[k];
    y[i] = s / l[ri + i];
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * x[k];
    x[i] = s / l[i * d + i];
  }
  return x;
}

/** log det(A) = 2 Σ log L_ii for A = L Lᵀ. */
export function logDetFromCholesky(l: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[i * d + i]);
  return 2 * s;
}

/** Inverse (row-major, symmetric) of an SPD matrix via Cholesky; null when not SPD. */
export function spdInverse(a: Float64Array, d: number): Float64Array | null {
  const l = cholesky(a, d);
  if (l === null) return null;
  const inv = new Float64Array(d * d);
  const e = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0);
    e[j] = 1;
    const x = choleskySolve(l, d, e);
    for (let i = 0; i < d; i++) inv[i * d + j] = x[i];
  }
  // Symmetrise against round-off.
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (inv[i * d + j] + inv[j * d + i]);
      inv[i * d + j] = m;
      inv[j * d + i] = m;
    }
  }
  return inv;
}

/** Solves A x = b for SPD A; null when A is not SPD. */
export function spdSolve(a: Float64Array, d: number, b: Float64Array): Float64Array | null {
  const l = cholesky(a, d);
  return l === null ? null : choleskySolve(l, d, b);
}

/**
 * 2-norm condition number λ_max / λ_min of a symmetric matrix from its
 * eigenvalues; Infinity when λ_min ≤ d·ε·λ_max (numerically singular or not
 * positive definite), 1 for d = 0.
 */
export function spdConditionNumber(a: Float64Array, d: number): number {
  if (d === 0) return 1;
  const { values } = symmetricEigen(a, d);
  const hi = values[0], lo = values[d - 1];
  if (!Number.isFinite(hi) || !Number.isFinite(lo)) return NaN;
  return lo > d * Number.EPSILON * Math.abs(hi) ? hi / lo : Infinity;
}

/** y = A x for a row-major d×d matrix. */
export function matVec(a: Float64Array, d: number, x: Float64Array): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    const ri = i * d;
    for (let j = 0; j < d; j++) s += a[ri + j] * x[j];
    y[i] = s;
  }
  return y;
}
