import assert from "node:assert/strict";
import plugin from "../../../plugins/detectors/mahalanobis.ts";
import { makeFrame } from "../../../core/frame.ts";
import { memoryLogger } from "../../../core/log.ts";
import { createRng } from "../../../core/rng.ts";
import {
  assertSameScores,
  checkMetadata,
  checkRoundTrip,
  create,
  data,
  meanOf,
} from "./_contract_a.ts";

Deno.test("mahalanobis plugin metadata follows the plugin contract", () => checkMetadata(plugin));

Deno.test("mahalanobis score() gives finite D² per row, higher on the injected anomaly", () => {
  const det = create(plugin);
  det.fit(data(1, false));
  const frame = data(2, true);
  const { outputs, contributions } = det.score(frame);
  const s = outputs[""];
  assert.equal(s.length, frame.rows);
  assert.ok(s.every((v) => Number.isFinite(v) && v >= 0));
  assert.ok(meanOf(s, 900, 910) > 5 * meanOf(s, 0, 900));
  assert.equal(contributions![""].length, frame.rows * 5);
  // training D² averages about d (4 kept variables)
  const tr = det.score(data(1, false)).outputs[""];
  assert.ok(Math.abs(meanOf(tr) - 4) < 0.5, `${meanOf(tr)}`);
});

Deno.test("mahalanobis metrics() report shrinkage and a finite condition number", () => {
  const det = create(plugin);
  det.fit(data(1, false));
  const m = det.metrics!();
  assert.ok((m.shrinkage as number) >= 0 && (m.shrinkage as number) < 0.5);
  assert.ok(Number.isFinite(m.condition_number) && (m.condition_number as number) >= 1);
  assert.equal(m.variables, 4);
});

Deno.test("mahalanobis raises shrinkage with a warning on collinear inputs (no pseudo-inverse)", () => {
  const rng = createRng(3), n = 500;
  const v = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    v[i] = rng.normal();
    v[n + i] = 2 * v[i] + 1; // exactly collinear after standardisation
    v[2 * n + i] = rng.normal();
  }
  const frame = makeFrame({
    columns: ["x", "y", "z"],
    values: v,
    timestamps: Float64Array.from({ length: n }, (_, i) => i),
  });
  const log = memoryLogger();
  const det = create(
    plugin,
    { shrinkage: "fixed", fixed_shrinkage: 0, max_condition: 1e6 },
    17,
    log,
  );
  det.fit(frame);
  assert.ok(log.events.some((e) => e.level === "warn" && /shrinkage raised/.test(e.message)));
  assert.ok((det.metrics!().condition_number as number) <= 1e6 * 1.000001);
  assert.ok(det.score(frame).outputs[""].every(Number.isFinite));
});

Deno.test("mahalanobis save → load scores bit-identically; same seed → same scores", () => {
  checkRoundTrip(plugin);
  const a = create(plugin), b = create(plugin);
  a.fit(data(1, false));
  b.fit(data(1, false));
  assertSameScores(a.score(data(2, true)).outputs, b.score(data(2, true)).outputs);
});
