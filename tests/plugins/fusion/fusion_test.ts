import { deepStrictEqual, ok } from "node:assert/strict";
import weightedMean from "../../../plugins/fusion/weighted_mean.ts";
import maxZ from "../../../plugins/fusion/max_z.ts";
import { pluginContext } from "../../../core/engine/context.ts";
import { silentLogger } from "../../../core/log.ts";

const ctx = pluginContext("fused", "weighted_mean", 1, silentLogger);
const z = {
  a: Float64Array.from([1, 4, -2]),
  b: Float64Array.from([3, 0, 2]),
  c: Float64Array.from([9, 9, 9]),
};

Deno.test("weighted_mean fuse() renormalises weights over the heads present and records provenance", () => {
  const f = weightedMean.create({
    weights: { a: 0.2, b: 0.6, c: 0, gone: 5 },
    default_weight: 1,
    positive_only: true,
  }, ctx);
  const r = f.fuse(z, 3);
  const expected = [0.25 * 1 + 0.75 * 3, 0.25 * 4, 0.75 * 2];
  expected.forEach((v, i) =>
    ok(Math.abs(r.fused[i] - v) < 1e-12, `row ${i}: ${r.fused[i]} vs ${v}`)
  );
  for (let i = 0; i < 3; i++) {
    const sum = Object.values(r.contributions).reduce((s, c) => s + c[i], 0);
    ok(Math.abs(sum - r.fused[i]) < 1e-12, "contributions add up to the fused value");
  }
});

Deno.test("weighted_mean fuse() keeps negative z when positive_only is false", () => {
  const f = weightedMean.create({
    weights: { a: 1, b: 1 },
    default_weight: 0,
    positive_only: false,
  }, ctx);
  deepStrictEqual([...f.fuse(z, 3).fused], [2, 2, 0]);
});

Deno.test("max_z fuse() takes the largest weighted head and credits it alone", () => {
  const f = maxZ.create({ weights: { c: 0.1 }, default_weight: 1 }, ctx);
  const r = f.fuse(z, 3);
  deepStrictEqual([...r.fused], [3, 4, 2]);
  deepStrictEqual([...r.contributions.b], [3, 0, 2]);
  deepStrictEqual([...r.contributions.a], [0, 4, 0]);
});
