import assert from "node:assert/strict";
import { fitRegimes } from "../../../core/regimes/fit_regimes.ts";
import { assignRegimes } from "../../../core/regimes/assign_regimes.ts";
import type { RegimeOptions } from "../../../core/pipeline/stage_schemas.ts";
import { makeFrame } from "../../../core/frame.ts";
import { createRng } from "../../../core/rng.ts";
import { readCsvFile } from "../../../core/source/csv_reader.ts";
import {
  pairwiseDistances,
  silhouetteFromDistances,
  silhouetteScore,
} from "../../../core/numeric/silhouette.ts";

const OPTIONS: RegimeOptions = {
  enabled: true,
  sensors: [],
  k_min: 2,
  k_max: 6,
  sample_rows: 2000,
  min_silhouette: 0.35,
  split_min_share: 0,
  min_regime_share: 0,
  min_dwell_rows: 3,
  min_dwell_s: 0,
  unseen_factor: 2,
  transient_s: 0,
  settle_s: 0,
  ramp_z: 0,
  envelope_sd: 3,
  operating_sensor_share: 0,
  envelope_spread_factor: 0,
  ramp_window_s: 600,
};
const DATA = "/work/shared/acm_data/";
const CURRENT = "DEMO.SIM.06I03_1FD Fan Motor Current";
const DAMPER = "DEMO.SIM.06G31_1FD Fan Damper Position";

/** Raw centre values (sensor order of the model). */
function rawCentres(m: ReturnType<typeof fitRegimes>): number[][] {
  const d = m.sensors.length;
  return Array.from(
    { length: m.k },
    (_, c) => Array.from({ length: d }, (_, a) => m.centres[c * d + a] * m.scale[a] + m.mean[a]),
  );
}

function twoModes(seed: number, n = 600) {
  const rng = createRng(seed);
  const values = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const on = i % 100 < 60;
    values[i] = (on ? 50 : 5) + rng.normal();
    values[n + i] = (on ? 200 : 20) + 3 * rng.normal();
  }
  return makeFrame({
    columns: ["load", "flow"],
    values,
    timestamps: Float64Array.from({ length: n }, (_, i) => i * 60_000),
  });
}

Deno.test("fitRegimes() finds two operating modes with a high silhouette", () => {
  const m = fitRegimes(twoModes(1), OPTIONS, createRng(1));
  assert.equal(m.k, 2);
  assert.ok(m.silhouette > 0.8, `${m.silhouette}`);
  assert.deepEqual(Array.from(m.kTried), [2, 3, 4, 5, 6]);
  const loads = rawCentres(m).map((c) => c[0]).sort((a, b) => a - b);
  assert.ok(Math.abs(loads[0] - 5) < 0.5 && Math.abs(loads[1] - 50) < 0.5, `${loads}`);
  assert.deepEqual(Array.from(m.counts).sort((a, b) => a - b), [240, 360]);
});

Deno.test("fitRegimes() returns one regime when no k beats min_silhouette", () => {
  const rng = createRng(2), n = 800;
  const values = new Float64Array(n * 3).map(() => rng.normal());
  const frame = makeFrame({
    columns: ["a", "b", "c"],
    values,
    timestamps: Float64Array.from({ length: n }, (_, i) => i),
  });
  const m = fitRegimes(frame, OPTIONS, createRng(3));
  assert.equal(m.k, 1);
  assert.ok(Number.isNaN(m.silhouette));
  assert.ok(m.silhouettes.every((s) => s < 0.35), `${m.silhouettes}`);
  const { labels } = assignRegimes(m, frame, OPTIONS);
  assert.ok(labels.every((l) => l === 0));
});

Deno.test("fitRegimes() rejects an unknown sensor name with a clear error", () => {
  assert.throws(
    () => fitRegimes(twoModes(1), { ...OPTIONS, sensors: ["load", "DWAT"] }, createRng(1)),
    (e: Error) =>
      e instanceof RangeError && /Cannot fit regimes: sensor "DWAT"/.test(e.message) &&
      /"load"/.test(e.message),
  );
});

Deno.test("fitRegimes() is deterministic for a seed", () => {
  const a = fitRegimes(twoModes(4), OPTIONS, createRng(9));
  const b = fitRegimes(twoModes(4), OPTIONS, createRng(9));
  assert.deepEqual(a, b);
});

Deno.test("fitRegimes() separates FD_FAN operating points on motor current and damper", async () => {
  const base = (await readCsvFile(DATA + "FD_FAN_BASELINE_DATA.csv")).frame;
  const opts = { ...OPTIONS, sensors: [CURRENT, DAMPER] };
  const m = fitRegimes(base, opts, createRng(17));
  assert.ok(m.k >= 2, `k ${m.k}`);
  assert.ok(m.silhouette >= 0.5, `silhouette ${m.silhouette}`);
  // The score batch starts with the fan off (current ≈ 0.1 A): fitted there, an "off" regime appears.
  const batch = (await readCsvFile(DATA + "FD_FAN_BATCH_DATA.csv")).frame;
  const mb = fitRegimes(batch, opts, createRng(17));
  assert.ok(mb.k >= 2 && mb.silhouette >= 0.6, `k ${mb.k}, silhouette ${mb.silhouette}`);
  const currents = rawCentres(mb).map((c) => c[0]);
  assert.ok(currents.some((a) => a < 5), `no fan-off centre: ${currents}`);
  assert.ok(currents.some((a) => a > 30), `no running centre: ${currents}`);
});

Deno.test("fitRegimes() splits GAS_TURBINE DWATT into idle and loaded", async () => {
  const base = (await readCsvFile(DATA + "GAS_TURBINE_BASELINE_DATA.csv")).frame;
  const m = fitRegimes(base, { ...OPTIONS, sensors: ["DWATT"] }, createRng(17));
  assert.ok(m.k >= 2, `k ${m.k}`);
  assert.ok(m.silhouette >= 0.8, `silhouette ${m.silhouette}`);
  const mw = rawCentres(m).map((c) => c[0]);
  assert.ok(mw.some((v) => v < 10), `no idle centre: ${mw}`);
  assert.ok(mw.some((v) => v > 100), `no loaded centre: ${mw}`);
  const idle = mw.findIndex((v) => v < 10);
  const share = m.counts[idle] / m.trainRows;
  assert.ok(share > 0.55 && share < 0.7, `idle share ${share}`); // ~61 % of rows idle
});

Deno.test("fitRegimes() on 60,000 rows searches k on a sample, refines on 50,000 and labels every row", () => {
  const n = 60_000, m = fitRegimes(twoModes(5, n), OPTIONS, createRng(5));
  assert.equal(m.k, 2);
  assert.equal(m.trainRows, n);
  assert.deepEqual(Array.from(m.counts).sort((a, b) => a - b), [0.4 * n, 0.6 * n]);
  const loads = rawCentres(m).map((c) => c[0]).sort((a, b) => a - b);
  // Refined on 50,000 rows: the centres sit within ~0.05 of the true means (5, 50).
  assert.ok(Math.abs(loads[0] - 5) < 0.05 && Math.abs(loads[1] - 50) < 0.05, `${loads}`);
  assert.deepEqual(m, fitRegimes(twoModes(5, n), OPTIONS, createRng(5)));
});

// Belongs in tests/core/numeric/silhouette_test.ts (not owned by the regimes work).
Deno.test("silhouetteFromDistances() equals silhouetteScore() on the same rows, -1 ignored", () => {
  const rng = createRng(8), n = 300, d = 3;
  const x = new Float64Array(n * d).map((_, i) => rng.normal() + (Math.floor(i / d) % 3) * 2);
  const labels = Int32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? -1 : i % 3));
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const fromDist = silhouetteFromDistances(pairwiseDistances(x, d, all), n, labels);
  assert.ok(Math.abs(fromDist - silhouetteScore(x, n, d, labels)) < 1e-12, `${fromDist}`);
  assert.ok(fromDist > 0.2);
  const rows = Int32Array.from([0, 1, 2, 3]), dist = pairwiseDistances(x, d, rows);
  assert.equal(dist.length, 6);
  assert.ok(Number.isNaN(silhouetteFromDistances(dist, 4, new Int32Array(4))));
});

Deno.test("fitRegimes() searches k on a random sample, not the first rows in time order", () => {
  // 30,000 rows: the first half runs at low load, the second half at high load.
  const rng = createRng(12), n = 30_000;
  const values = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const on = i >= n / 2;
    values[i] = (on ? 50 : 5) + rng.normal();
    values[n + i] = (on ? 200 : 20) + 3 * rng.normal();
  }
  const frame = makeFrame({
    columns: ["load", "flow"],
    values,
    timestamps: Float64Array.from({ length: n }, (_, i) => i * 60_000),
  });
  const m = fitRegimes(frame, OPTIONS, createRng(4));
  assert.equal(m.k, 2);
  // The silhouette is measured on the search sample: ~0.9 when it holds both halves.
  assert.ok(m.silhouette > 0.8, `silhouette ${m.silhouette}`);
  assert.deepEqual(Array.from(m.counts), [n / 2, n / 2]);
});

/** Two load levels, a daily ambient swing and one 150-row stop in 20,000 rows (1-minute rows). */
function stopPlant(rows = 20_000, stopFrom = 8000, stopRows = 150) {
  const rng = createRng(11);
  const cols = ["speed", "current", "flow", "press", "temp_a", "temp_b", "ambient"];
  const values = new Float64Array(rows * cols.length);
  for (let i = 0; i < rows; i++) {
    const run = i >= stopFrom && i < stopFrom + stopRows ? 0 : 1;
    const load = i % 1000 < 500 ? 0.45 : 0.9;
    const amb = 8 + 5 * Math.sin((2 * Math.PI * i) / 1440);
    const v = [
      run * (0.55 + 0.45 * load),
      run * load,
      run * load,
      run * load * load,
      0.3 * amb + 20 * run * load,
      0.3 * amb + 30 * run * load,
      amb,
    ];
    v.forEach((x, j) => values[j * rows + i] = x + 0.02 * rng.normal());
  }
  const timestamps = Float64Array.from({ length: rows }, (_, i) => i * 60_000);
  return makeFrame({ columns: cols, values, timestamps });
}

Deno.test("fitRegimes() with split_min_share gives a short stop its own regime where k-means merged it", () => {
  const frame = stopPlant();
  const merged = fitRegimes(frame, OPTIONS, createRng(1));
  assert.equal(merged.k, 2, "k-means++ alone: the stop lies inside a load regime");
  const split = fitRegimes(frame, { ...OPTIONS, split_min_share: 0.005 }, createRng(1));
  assert.equal(split.k, 3);
  assert.ok([...split.counts].includes(150), `counts ${[...split.counts]}`);
  assert.ok(split.silhouette > merged.silhouette);
  // A split whose new regime would hold less than the share is not a candidate.
  const tiny = fitRegimes(frame, { ...OPTIONS, split_min_share: 0.01 }, createRng(1));
  assert.equal(tiny.k, 2);
  assert.deepEqual([...tiny.centres], [...merged.centres]);
});

Deno.test("fitRegimes() on a frame with all-missing rows equals the fit without them (rows compacted in kernel memory)", () => {
  // 20,000 rows: above the search sample, within the refinement, so the
  // standardised rows are written straight into the refinement's kernel memory.
  const full = stopPlant();
  const d = full.columns.length, rows = full.rows;
  const gaps = new Set(Array.from({ length: 40 }, (_, k) => 7 + 491 * k));
  const values = full.values.slice();
  for (const i of gaps) for (let j = 0; j < d; j++) values[j * rows + i] = NaN;
  const holed = makeFrame({ columns: full.columns, values, timestamps: full.timestamps });
  const keep = Array.from({ length: rows }, (_, i) => i).filter((i) => !gaps.has(i));
  const kept = makeFrame({
    columns: full.columns,
    values: Float64Array.from(
      { length: keep.length * d },
      (_, k) => full.values[Math.floor(k / keep.length) * rows + keep[k % keep.length]],
    ),
    timestamps: Float64Array.from(keep, (i) => full.timestamps[i]),
  });
  const a = fitRegimes(holed, { ...OPTIONS, split_min_share: 0.005 }, createRng(5));
  const b = fitRegimes(kept, { ...OPTIONS, split_min_share: 0.005 }, createRng(5));
  assert.equal(a.trainRows, keep.length);
  assert.equal(a.k, b.k);
  assert.ok(a.k >= 2);
  for (const key of ["centres", "p99", "counts", "spread", "silhouettes"] as const) {
    assert.deepEqual([...(a[key] ?? [])], [...(b[key] ?? [])], key);
  }
});
