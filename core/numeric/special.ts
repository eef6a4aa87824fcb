/**
 * Special functions for control limits: log-gamma, regularised incomplete beta
 * and gamma, and the quantiles of the F, chi-square and standard normal
 * distributions. Out-of-domain arguments give NaN (never throw).
 */

const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0: Lanczos approximation (g = 7, n = 9), relative error ~1e-15; NaN for x ≤ 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** ln B(a, b). */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Continued fraction of I_x(a, b) (DLMF 8.17.22), modified Lentz evaluation. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    c = 1 + num / c;
    if (Math.abs(d) < tiny) d = tiny;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    c = 1 + num / c;
    if (Math.abs(d) < tiny) d = tiny;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    f *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return f;
}

/** Regularised incomplete beta I_x(a, b), a, b > 0, x ∈ [0, 1]. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return NaN;
  if (x === 0) return 0;
  if (x === 1) return 1;
  const lead = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (lead * betaContinuedFraction(x, a, b)) / a;
  return 1 - (lead * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Density of the Beta(a, b) distribution at x ∈ (0, 1). */
function betaDensity(x: number, a: number, b: number): number {
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBeta(a, b));
}

/**
 * x with I_x(a, b) = p: safeguarded Newton iteration inside a bisection bracket,
 * solved on the side (x or 1 − x) where the root is small for full relative precision.
 */
export function incompleteBetaInverse(p: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  if (incompleteBeta(0.5, a, b) < p) return 1 - solveBeta(1 - p, b, a);
  return solveBeta(p, a, b);
}

/** Root of I_x(a, b) = p with the root known to lie in (0, 0.5]. */
function solveBeta(p: number, a: number, b: number): number {
  let lo = 0, hi = 0.5;
  let x = 0.25;
  for (let it = 0; it < 300; it++) {
    const f = incompleteBeta(x, a, b) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const dens = betaDensity(x, a, b);
    let next = dens > 0 && Number.isFinite(dens) ? x - f / dens : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-16 * Math.max(x, 1e-300) || hi - lo <= 1e-16 * hi) return next;
    x = next;
  }
  return x;
}

/** Quantile of the F(d1, d2) distribution at probability p; NaN outside the domain. */
export function fQuantile(p: number, d1: number, d2: number): number {
  if (!(d1 > 0) || !(d2 > 0) || !(p >= 0 && p < 1)) return NaN;
  // F CDF(f) = I_{d1 f / (d1 f + d2)}(d1/2, d2/2); invert on the complementary side too.
  const x = incompleteBetaInverse(p, d1 / 2, d2 / 2);
  const oneMinusX = 1 - x > 0.5 ? 1 - x : solveComplement(p, d1, d2);
  return (d2 * x) / (d1 * oneMinusX);
}

/** 1 − x computed directly (x near 1) from I_{1−x}(d2/2, d1/2) = 1 − p. */
function solveComplement(p: number, d1: number, d2: number): number {
  return incompleteBetaInverse(1 - p, d2 / 2, d1 / 2);
}

/** Regularised lower incomplete gamma P(a, x): series for x < a + 1, continued fraction otherwise. */
export function incompleteGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 0;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate in the upper tail. */
export function incompleteGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let term = 1 / a, sum = term;
  for (let n = 1; n < 10000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Standard normal CDF Φ(x) = ½ erfc(−x/√2), via the incomplete gamma (erfc(z) = Q(½, z²)). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === 0) return 0.5;
  const q = 0.5 * incompleteGammaQ(0.5, (x * x) / 2);
  return x < 0 ? q : 1 - q;
}

/**
 * Standard normal quantile Φ⁻¹(p): a logistic-type starting value refined by
 * Halley steps on the tail probability (relative error ~1e-15); ±Infinity at 0 and 1.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const lower = p < 0.5;
  const t = lower ? p : 1 - p; // tail probability, solve Φ(−z) = t for z > 0
  let z = Math.sqrt(-2 * Math.log(t));
  z -= (2.515517 + 0.802853 * z + 0.010328 * z * z) /
    (1 + 1.432788 * z + 0.189269 * z * z + 0.001308 * z * z * z);
  for (let it = 0; it < 50; it++) {
    const tail = 0.5 * incompleteGammaQ(0.5, (z * z) / 2); // Φ(−z)
    const dens = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    const f = tail - t; // decreasing in z: d tail / dz = −dens
    const u = f / dens;
    const step = u / (1 + 0.5 * z * u); // Halley
    z += step;
    if (Math.abs(step) <= 1e-15 * Math.abs(z)) break;
  }
  return lower ? -z : z;
}

/** Quantile of the chi-square distribution with k degrees of freedom (Newton inside a bracket). */
export function chiSquareQuantile(p: number, k: number): number {
  if (!(k > 0) || !(p >= 0 && p < 1)) return NaN;
  if (p === 0) return 0;
  const a = k / 2;
  let lo = 0, hi = Math.max(1, k);
  while (incompleteGammaP(a, hi / 2) < p) hi *= 2;
  let x = 0.5 * (lo + hi);
  for (let it = 0; it < 300; it++) {
    const f = incompleteGammaP(a, x / 2) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const dens = Math.exp((a - 1) * Math.log(x / 2) - x / 2 - logGamma(a)) / 2;
    let next = dens > 0 && Number.isFinite(dens) ? x - f / dens : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * x) return next;
    x = next;
  }
  return x;
}
