import assert from "node:assert/strict";
import { detectorCarry, rowProvenance } from "../../../core/engine/provenance.ts";

Deno.test("rowProvenance() names the head with the largest positive share and its culprit", () => {
  const contributions = {
    a: Float64Array.from([0, 2, 0.5]),
    cond: Float64Array.from([0, 1, 3]),
  };
  const signatures = {
    cond: {
      sensors: ["x", "y"],
      tests: ["mean_up", "mean_down", "variance_up", "variance_down"],
      sensor: Int32Array.from([-1, 0, 1]),
      test: Int32Array.from([-1, 0, 3]),
    },
  };
  const p = rowProvenance({ traces: null, signatures }, contributions, 3);
  assert.deepEqual(Array.from(p.topHead), [-1, 0, 1]);
  const sig = p.signature!;
  // Row 1 is won by head "a", which names no sensor; row 2 by "cond" (y, variance_down).
  assert.deepEqual(Array.from(sig.sensor), [-1, -1, sig.sensors.indexOf("y")]);
  assert.equal(sig.tests[sig.test[2]], "variance_down");
});

Deno.test("detectorCarry() drops the streaming states of another model version", () => {
  const stream = { detectors: { modelVersion: 2, states: { cond: 1 } } };
  assert.deepEqual(detectorCarry(stream, 2), { cond: 1 });
  assert.deepEqual(detectorCarry(stream, 3), {});
  assert.deepEqual(detectorCarry(null, 1), {});
});
