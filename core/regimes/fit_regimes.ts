/**
 * Fits the operating-regime model on raw training sensors: standardise, k-means++
 * (seeded, 4 restarts) for every k in [k_min, k_max], silhouette on a seeded sample
 * of `sample_rows` rows; the best silhouette wins, and below `min_silhouette` the
 * data is one regime. Fixes ACM V8's regimes: raw operating sensors instead of
 * detector-PCA space, a quality rule that can actually pass, per-regime p99
 * distances so an unseen operating point is flagged instead of scored as 0.
 * k-means runs on at most 50,000 seeded-sampled rows; labels use every row. A
 * regime's p99 distance is floored at 0.1 (a tenth of a training standard deviation).
 */
import type { Frame } from "../frame.ts";
import type { Rng } from "../rng.ts";
import type { RegimeOptions } from "../pipeline/stage_schemas.ts";
import { kmeans } from "../numeric/kmeans.ts";
import { silhouetteScore } from "../numeric/silhouette.ts";
import { quantile } from "../numeric/stats.ts";
import { nearestCentre, type RegimeModel, standardisedRows } from "./model.ts";

const MAX_KMEANS_ROWS = 50_000;
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
  for (let a = 0; a < d; a++) {
    const j = frame.columns.indexOf(sensors[a]);
    const col = frame.values.subarray(j * frame.rows, (j + 1) * frame.rows);
    let s = 0, n = 0;
    for (const v of col) if (v - v === 0) (s += v), n++;
    const m = n > 0 ? s / n : 0;
    let s2 = 0;
    for (const v of col) if (v - v === 0) s2 += (v - m) * (v - m);
    const sd = n > 0 ? Math.sqrt(s2 / n) : 0;
    mean[a] = m;
    scale[a] = sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1;
    const med = quantile(col, 0.5);
    medians[a] = Number.isFinite(med) ? med : m;
  }
  return { mean, scale, medians };
}

/** Fits regimes on the raw training frame restricted to `options.sensors` (empty = all columns). */
export function fitRegimes(frame: Frame, options: RegimeOptions, rng: Rng): RegimeModel {
  const sensors = resolveSensors(frame, options.sensors);
  const d = sensors.length;
  const { mean, scale, medians } = scaler(frame, sensors);
  const { x: all, valid } = standardisedRows(frame, sensors, mean, scale, medians);
  const validIdx: number[] = [];
  for (let i = 0; i < frame.rows; i++) if (valid[i]) validIdx.push(i);
  const n = validIdx.length;
  const x = new Float64Array(n * d);
  validIdx.forEach((i, r) => x.set(all.subarray(i * d, i * d + d), r * d));

  // k-means on a seeded sample when the training set is large.
  let fitX = x, fitN = n;
  if (n > MAX_KMEANS_ROWS) {
    const pick = rng.fork("kmeans-rows");
    const idx = new Int32Array(n).map((_, i) => i);
    for (let r = 0; r < MAX_KMEANS_ROWS; r++) {
      const s = r + pick.int(n - r);
      [idx[r], idx[s]] = [idx[s], idx[r]];
    }
    fitN = MAX_KMEANS_ROWS;
    fitX = new Float64Array(fitN * d);
    for (let r = 0; r < fitN; r++) fitX.set(x.subarray(idx[r] * d, idx[r] * d + d), r * d);
  }

  const kTried: number[] = [], silhouettes: number[] = [];
  let bestK = 1, bestSil = -Infinity, bestCentres: Float64Array | null = null;
  const kLo = Math.max(2, options.k_min), kHi = Math.min(options.k_max, fitN - 1);
  for (let k = kLo; k <= kHi && d > 0; k++) {
    const km = kmeans(fitX, fitN, d, k, rng.fork(`kmeans-${k}`), { nInit: 4 });
    const sil = silhouetteScore(fitX, fitN, d, km.labels, {
      sampleSize: options.sample_rows,
      rng: rng.fork(`silhouette-${k}`),
    });
    kTried.push(k);
    silhouettes.push(sil);
    if (sil > bestSil) {
      bestSil = sil;
      bestK = km.k;
      bestCentres = km.centres;
    }
  }
  let k = bestK, centres = bestCentres;
  if (centres === null || !(bestSil >= options.min_silhouette)) {
    k = 1;
    centres = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let a = 0; a < d; a++) centres[a] += x[r * d + a] / n;
  }
  const dist: number[][] = Array.from({ length: k }, () => []);
  for (let r = 0; r < n; r++) {
    const [c, dd] = nearestCentre(x, r, centres, k, d);
    dist[c].push(dd);
  }
  const global = quantile(Float64Array.from(dist.flat()), 0.99);
  const p99 = Float64Array.from(
    dist,
    (ds) => Math.max(P99_FLOOR, ds.length > 0 ? quantile(ds, 0.99) : global) || P99_FLOOR,
  );
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
    counts: Int32Array.from(dist, (ds) => ds.length),
    trainRows: n,
  };
}
