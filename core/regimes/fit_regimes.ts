/**
 * Fits the operating-regime model on raw training sensors: standardise, k-means++
 * (seeded, 4 restarts) for every k in [k_min, k_max] on a seeded search sample of
 * at most max(5 × `sample_rows`, 10,000) rows, silhouette of each k on one seeded
 * sample of `sample_rows` of those rows (one pass over its pairs for every k); with
 * `split_min_share` > 0 each partition plus its farthest row is one more candidate
 * (farthestSplits). The best silhouette wins, and below `min_silhouette` the data
 * is one regime. The chosen k is then refined by Lloyd iterations from the search
 * centres on at most 50,000 seeded-sampled rows; labels and p99 distances use every row. Fixes ACM V8's
 * regimes: raw operating sensors instead of detector-PCA space, a quality rule
 * that can actually pass, per-regime p99 distances so an unseen operating point
 * is flagged instead of scored as 0. A regime's p99 distance is floored at 0.1 (a
 * tenth of a training standard deviation).
 */
import type { Frame } from "../frame.ts";
import type { Rng } from "../rng.ts";
import type { RegimeOptions } from "../pipeline/stage_schemas.ts";
import { kmeans, type KMeansResult, labelledSqDists, refinementMemory } from "../numeric/kmeans.ts";
import { silhouettesOfSample } from "../numeric/silhouette.ts";
import { compactFinite, selectMedian, selectQuantile } from "../numeric/standardize.ts";
import { nearestDistance, nearestIndex, type RegimeModel, standardisedRows } from "./model.ts";

/** Rows of the final k-means refinement (seeded sample above this). */
const MAX_KMEANS_ROWS = 50_000;
/** Floor of the k-search sample; the cap is max(SEARCH_ROWS_PER_SAMPLE × sample_rows, this). */
const MIN_SEARCH_ROWS = 10_000;
const SEARCH_ROWS_PER_SAMPLE = 5;
/** Floor of a regime's p99 distance (standardised units) so a tight regime does not flag sensor noise. */
const P99_FLOOR = 0.1;

function resolveSensors(frame: Frame, wanted: readonly string[]): string[] {
  if (wanted.length === 0) return [...new Set(frame.columns)];
  for (const s of wanted) {
    if (!frame.columns.includes(s)) {
      throw new RangeError(
        `Cannot fit regimes: sensor "${s}" is not among the training sensors (${
          frame.columns.map((c) => `"${c}"`).join(", ")
        })`,
      );
    }
  }
  return [...new Set(wanted)];
}

function scaler(frame: Frame, sensors: string[]) {
  const d = sensors.length;
  const mean = new Float64Array(d), scale = new Float64Array(d), medians = new Float64Array(d);
  const scratch = new Float64Array(frame.rows);
  for (let a = 0; a < d; a++) {
    const j = frame.columns.indexOf(sensors[a]);
    const col = frame.values.subarray(j * frame.rows, (j + 1) * frame.rows);
    let s = 0, n = 0;
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (v - v === 0) {
        s += v;
        n++;
      }
    }
    const m = n > 0 ? s / n : 0;
    let s2 = 0;
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (v - v === 0) s2 += (v - m) * (v - m);
    }
    const sd = n > 0 ? Math.sqrt(s2 / n) : 0;
    mean[a] = m;
    scale[a] = sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1;
    scratch.set(col); // quickselect in one reused buffer; same value as stats.median
    const med = selectMedian(scratch.subarray(0, compactFinite(scratch)));
    medians[a] = Number.isFinite(med) ? med : m;
  }
  return { mean, scale, medians };
}

/** The first `m` positions of a seeded Fisher–Yates shuffle of `[0, n)` (m ≤ n). */
function shuffledPrefix(n: number, m: number, rng: Rng): Int32Array {
  const idx = new Int32Array(n).map((_, i) => i);
  for (let r = 0; r < m; r++) {
    const s = r + rng.int(n - r);
    [idx[r], idx[s]] = [idx[s], idx[r]];
  }
  return idx.subarray(0, m);
}

/** Rows `idx` of row-major `x` (`· × d`) as a new array. */
function takeRows(x: Float64Array, d: number, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(x.subarray(idx[r] * d, idx[r] * d + d), r * d);
  return out;
}

/** Fits regimes on the raw training frame restricted to `options.sensors` (empty = all columns). */
export function fitRegimes(frame: Frame, options: RegimeOptions, rng: Rng): RegimeModel {
  const sensors = resolveSensors(frame, options.sensors);
  const d = sensors.length;
  const { mean, scale, medians } = scaler(frame, sensors);
  // When every row may join the final refinement, the standardised rows are
  // written straight into its kernel memory: held once, not in a JS array too.
  const searchCap = Math.max(SEARCH_ROWS_PER_SAMPLE * options.sample_rows, MIN_SEARCH_ROWS);
  const inPlace = d > 0 && frame.rows > searchCap && frame.rows <= MAX_KMEANS_ROWS
    ? refinementMemory(frame.rows, d, Math.max(1, options.k_max))
    : null;
  const { x: all, valid } = standardisedRows(
    frame,
    sensors,
    mean,
    scale,
    medians,
    0,
    frame.rows,
    inPlace ? { x: inPlace.rows, valid: new Uint8Array(frame.rows) } : undefined,
  );
  const validIdx: number[] = [];
  for (let i = 0; i < frame.rows; i++) if (valid[i]) validIdx.push(i);
  const n = validIdx.length;
  let x: Float64Array;
  if (n === frame.rows) x = all;
  else if (inPlace) {
    // Valid rows moved forward in place (row r to position ≤ r: nothing is overwritten early).
    validIdx.forEach((i, r) => all.copyWithin(r * d, i * d, i * d + d));
    x = all.subarray(0, n * d);
  } else x = takeRows(all, d, Int32Array.from(validIdx));

  // Nested seeded samples: search rows ⊂ refinement rows (a prefix of one shuffle).
  const fitN = Math.min(n, MAX_KMEANS_ROWS);
  const searchN = Math.min(fitN, searchCap);
  const order = n > searchN ? shuffledPrefix(n, fitN, rng.fork("kmeans-rows")) : null;
  const searchX = order ? takeRows(x, d, order.subarray(0, searchN)) : x;

  const kTried: number[] = [], silhouettes: number[] = [];
  let bestK = 1, bestSil = -Infinity, bestCentres: Float64Array | null = null;
  const kLo = Math.max(2, options.k_min), kHi = Math.min(options.k_max, searchN - 1);
  const silRows = options.sample_rows >= searchN
    ? new Int32Array(searchN).map((_, i) => i)
    : shuffledPrefix(searchN, options.sample_rows, rng.fork("silhouette")).slice().sort();
  // Every k's partition first, then all their silhouettes in one pass over the sample's pairs.
  const fits: KMeansResult[] = [];
  for (let k = kLo; k <= kHi && d > 0; k++) {
    fits.push(kmeans(searchX, searchN, d, k, rng.fork(`kmeans-${k}`), { nInit: 4 }));
  }
  if (options.split_min_share > 0) {
    // A short state far from the rest (one stop in two weeks) is a cluster k-means
    // rarely seeds: each (k−1) partition plus its farthest row is one more candidate.
    const splits = farthestSplits(fits, searchX, searchN, d, kHi, options.split_min_share, rng);
    fits.push(...splits);
  }
  const sils = silhouettesOfSample(
    searchX,
    d,
    silRows,
    fits.map((km) => Int32Array.from(silRows, (r) => km.labels[r])),
  );
  fits.forEach((km, g) => {
    const sil = sils[g];
    kTried.push(km.k);
    silhouettes.push(sil);
    if (sil > bestSil) {
      bestSil = sil;
      bestK = km.k;
      bestCentres = km.centres;
    }
  });
  if (bestCentres !== null && fitN > searchN && bestSil >= options.min_silhouette) {
    // The refinement needs no shuffled copy when it uses every row (Lloyd ignores row order).
    const fitX = order && fitN < n ? takeRows(x, d, order) : x;
    const memory = fitX === x && inPlace ? inPlace.memory : undefined;
    bestCentres = kmeans(fitX, fitN, d, bestK, rng.fork("kmeans-refine"), {
      init: bestCentres,
      memory,
    }).centres;
  }
  let k = bestK, centres = bestCentres;
  if (centres === null || !(bestSil >= options.min_silhouette)) {
    k = 1;
    centres = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let a = 0; a < d; a++) centres[a] += x[r * d + a] / n;
  }
  // Label and distance of every row in typed arrays; p99s by quickselect on one
  // buffer (selectQuantile: the same value as stats.quantile's sort).
  const labels = new Int32Array(n), dists = new Float64Array(n);
  const counts = new Int32Array(k);
  for (let r = 0; r < n; r++) {
    const c = nearestIndex(x, r, centres, k, d);
    labels[r] = c;
    dists[r] = nearestDistance;
    counts[c]++;
  }
  const scratch = new Float64Array(n);
  scratch.set(dists);
  const global = selectQuantile(scratch.subarray(0, compactFinite(scratch)), 0.99);
  const p99 = new Float64Array(k);
  const members = regimeMembers(labels, counts);
  for (let c = 0; c < k; c++) {
    const rows = members[c], buf = scratch.subarray(0, rows.length);
    for (let m = 0; m < rows.length; m++) buf[m] = dists[rows[m]];
    const q = rows.length > 0 ? selectQuantile(buf.subarray(0, compactFinite(buf)), 0.99) : global;
    p99[c] = Math.max(P99_FLOOR, q) || P99_FLOOR;
  }
  return {
    sensors,
    k,
    kTried: Int32Array.from(kTried),
    silhouettes: Float64Array.from(silhouettes),
    silhouette: k > 1 ? bestSil : NaN,
    centres,
    mean,
    scale,
    medians,
    p99,
    counts,
    trainRows: n,
    spread: sensorSpread(x, members, centres, k, d, scratch),
  };
}

/**
 * Split candidates (a step of global k-means; Likas, Vlassis & Verbeek 2003,
 * Pattern Recognition 36(2)): for each partition with fewer than `kHi` centres,
 * its centres plus the row farthest from them, refined by Lloyd iterations; kept
 * when every cluster holds at least `minShare` of the rows (a lone spike is no
 * operating state).
 */
function farthestSplits(
  fits: readonly KMeansResult[],
  x: Float64Array,
  n: number,
  d: number,
  kHi: number,
  minShare: number,
  rng: Rng,
): KMeansResult[] {
  const out: KMeansResult[] = [];
  const dist2 = new Float64Array(n);
  for (const km of fits) {
    if (km.k >= kHi) continue;
    let far = -1, farD = -1;
    labelledSqDists(x, n, d, km.centres, km.labels, dist2);
    for (let i = 0; i < n; i++) {
      const dd = dist2[i];
      if (dd > farD) (farD = dd), (far = i);
    }
    if (far < 0) continue;
    const init = new Float64Array((km.k + 1) * d);
    init.set(km.centres);
    init.set(x.subarray(far * d, far * d + d), km.k * d);
    const split = kmeans(x, n, d, km.k + 1, rng.fork(`split-${km.k + 1}`), { init });
    const counts = new Int32Array(split.k);
    for (let i = 0; i < n; i++) counts[split.labels[i]]++;
    if (counts.every((c) => c >= minShare * n)) out.push(split);
  }
  return out;
}

/** Per regime, its rows in ascending order. */
function regimeMembers(labels: Int32Array, counts: Int32Array): Int32Array[] {
  const members = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(counts.length);
  for (let r = 0; r < labels.length; r++) members[labels[r]][fill[labels[r]]++] = r;
  return members;
}

/**
 * Per regime and sensor, the p99 of |x − centre| on its training rows (floored at
 * P99_FLOOR); `scratch` holds at least as many values as the largest regime.
 */
function sensorSpread(
  x: Float64Array,
  members: Int32Array[],
  centres: Float64Array,
  k: number,
  d: number,
  scratch: Float64Array,
): Float64Array {
  const out = new Float64Array(k * d).fill(P99_FLOOR);
  for (let c = 0; c < k; c++) {
    const rows = members[c];
    if (rows.length === 0) continue;
    const dev = scratch.subarray(0, rows.length);
    for (let a = 0; a < d; a++) {
      const mu = centres[c * d + a];
      for (let m = 0; m < rows.length; m++) dev[m] = Math.abs(x[rows[m] * d + a] - mu);
      const q = selectQuantile(dev.subarray(0, compactFinite(dev)), 0.99);
      out[c * d + a] = Math.max(P99_FLOOR, q || 0);
    }
  }
  return out;
}
