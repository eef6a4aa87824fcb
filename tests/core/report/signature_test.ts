import assert from "node:assert/strict";
import { ascending, dominantLabel } from "../../../core/report/signature.ts";

Deno.test("dominantLabel() on sorted rows searches the span and finds what the full scan finds", () => {
  const n = 500;
  const t = Float64Array.from({ length: n }, (_, i) => 1000 * Math.floor(i / 2)); // repeated stamps
  const words = ["", "mean_up", "mean_down", "variance_up"];
  const labels = Array.from({ length: n }, (_, i) => words[(i * 7) % 4]);
  assert.ok(ascending(t));
  assert.ok(!ascending(Float64Array.from([1, NaN, 2])));
  assert.ok(!ascending(Float64Array.from([2, 1])));
  for (
    const [a, b] of [[0, 0], [1000, 50_000], [-5, 3e5], [77_000, 77_000], [3e6, 4e6], [NaN, 9000]]
  ) {
    assert.equal(dominantLabel(t, labels, a, b, true), dominantLabel(t, labels, a, b), `${a}–${b}`);
  }
});
