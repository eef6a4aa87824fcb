import assert from "node:assert/strict";
import { fitRegimes } from "../../../core/regimes/fit_regimes.ts";
import { assignRegimes } from "../../../core/regimes/assign_regimes.ts";
import type { RegimeOptions } from "../../../core/pipeline/stage_schemas.ts";
import { makeFrame } from "../../../core/frame.ts";
import { createRng } from "../../../core/rng.ts";

const OPTIONS: RegimeOptions = {
  enabled: true,
  sensors: [],
  k_min: 2,
  k_max: 4,
  sample_rows: 500,
  min_silhouette: 0.35,
  min_dwell_rows: 0,
  min_dwell_s: 0,
  unseen_factor: 2,
  transient_s: 0,
};

/** Six sensors driven by one load; `shift(i)` adds per-sensor offsets (in sensor sd) to row i. */
function plant(rows: number, shift: (i: number) => number[] = () => []) {
  const rng = createRng(3);
  const cols = ["load", "current", "power", "flow", "temp", "vib"];
  const values = new Float64Array(rows * cols.length);
  for (let i = 0; i < rows; i++) {
    const load = 50 + 5 * rng.normal();
    const s = shift(i);
    cols.forEach((_, j) =>
      values[j * rows + i] = load * (1 + j / 10) + rng.normal() + (s[j] ?? 0) * 5
    );
  }
  return makeFrame({
    columns: cols,
    values,
    timestamps: Float64Array.from({ length: rows }, (_, i) => i * 60_000),
  });
}

Deno.test("assignRegimes() flags a point far out in many sensors as unseen, not one far out in a single sensor", () => {
  const model = fitRegimes(plant(600), OPTIONS, createRng(1));
  const test = plant(
    30,
    (i) => (i < 10 ? [] : i < 20 ? [0, 0, 0, 0, 20, 0] : [-9, -9, -9, -9, -9, 0]),
  );
  const { unseen } = assignRegimes(model, test, OPTIONS);
  assert.equal(unseen.slice(0, 10).reduce((a, b) => a + b, 0), 0, "normal rows are seen");
  assert.equal(
    unseen.slice(10, 20).reduce((a, b) => a + b, 0),
    0,
    "a one-sensor fault stays visible",
  );
  assert.equal(
    unseen.slice(20).reduce((a, b) => a + b, 0),
    10,
    "a machine-wide mode change is unseen",
  );
});
