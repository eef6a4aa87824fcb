/**
 * Data the plugin contract suite feeds to plugins: a plant-like training frame
 * (two load-driven sensors, an autocorrelated one, an offset one, a constant
 * one), a scoring frame that continues it with a step fault and missing cells,
 * head z-scores for fusions, a small sensor CSV for sources.
 */
import { type Frame, makeFrame } from "../../../core/frame.ts";
import { createRng } from "../../../core/rng.ts";

/** Sensor names of the contract frames. */
export const CONTRACT_SENSORS = ["load", "temp", "vib", "pressure", "valve"] as const;

const START = Date.UTC(2024, 2, 4);
const STEP_MS = 60_000;

/**
 * `rows` rows starting at row `offset` of one continuous series (seeded): load
 * follows a daily-like cycle, temp = 0.6·load + noise, vib is AR(1), pressure ≈
 * 100, valve is constant. With `fault`, temp steps up by 4 noise units on rows
 * [0.6·rows, 0.7·rows) and two cells are missing.
 */
export function contractFrame(rows: number, offset = 0, fault = false, seed = 11): Frame {
  const rng = createRng(seed + offset);
  const d = CONTRACT_SENSORS.length;
  const v = new Float64Array(rows * d);
  const ts = new Float64Array(rows);
  let ar = 0;
  for (let i = 0; i < rows; i++) {
    const t = offset + i;
    ts[i] = START + t * STEP_MS;
    const load = 50 + 20 * Math.sin((2 * Math.PI * t) / 240) + rng.normal();
    ar = 0.85 * ar + 0.5 * rng.normal();
    const step = fault && i >= Math.floor(rows * 0.6) && i < Math.floor(rows * 0.7) ? 4 : 0;
    v[i] = load;
    v[rows + i] = 0.6 * load + rng.normal() + step;
    v[2 * rows + i] = ar;
    v[3 * rows + i] = 100 + 0.2 * rng.normal();
    v[4 * rows + i] = 7;
  }
  if (fault && rows > 10) {
    v[rows + 3] = NaN;
    v[2 * rows + 5] = NaN;
  }
  return makeFrame({ columns: [...CONTRACT_SENSORS], values: v, timestamps: ts });
}

/** Training frame (600 rows) and the scoring frame that follows it (240 rows, with a fault). */
export function detectorFrames(): { train: Frame; test: Frame } {
  return { train: contractFrame(600), test: contractFrame(240, 600, true) };
}

/** Calibrated-looking head z-scores (one head high on a stretch, some negative values). */
export function headScores(rows: number, heads: readonly string[] = ["ar1", "pca_spe", "omr"]) {
  const rng = createRng(5);
  const z: Record<string, Float64Array> = {};
  heads.forEach((h, k) => {
    z[h] = Float64Array.from({ length: rows }, (_, i) => {
      const bump = k === 0 && i >= rows / 2 && i < rows / 2 + 10 ? 6 : 0;
      return rng.normal() + bump;
    });
  });
  return z;
}

/** A small sensor CSV (ISO timestamps, two sensors, one empty cell) and the values it holds. */
export function sensorCsv(): {
  text: string;
  columns: string[];
  values: number[][];
  timestamps: number[];
} {
  const columns = ["temp", "flow"];
  const values = [[21.5, 21.75, 22, 22.25, 22.5], [10, 11, NaN, 13, 14]];
  const timestamps = values[0].map((_, i) => START + i * STEP_MS);
  const lines = ["timestamp," + columns.join(",")];
  timestamps.forEach((t, i) => {
    const cells = values.map((col) => (Number.isNaN(col[i]) ? "" : String(col[i])));
    lines.push(`${new Date(t).toISOString().slice(0, 19)},${cells.join(",")}`);
  });
  return { text: lines.join("\n") + "\n", columns, values, timestamps };
}

/** Asserts-free equality of two numbers where NaN equals NaN, within a relative tolerance. */
export function close(a: number, b: number, rel = 1e-9): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}
