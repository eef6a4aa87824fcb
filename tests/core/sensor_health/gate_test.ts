import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { makeFrame } from "../../../core/frame.ts";
import { gateSensors, selectHealthy } from "../../../core/sensor_health/gate.ts";

const opts = {
  max_nan_fraction: 0.5,
  flatline_fraction: 0.9,
  min_distinct_values: 2,
  ranges: { temp: { min: 0, max: 200 } },
  max_out_of_range_fraction: 0.2,
};

function frame(cols: Record<string, number[]>) {
  const names = Object.keys(cols);
  const n = cols[names[0]].length;
  return makeFrame({
    columns: names,
    values: Float64Array.from(names.flatMap((c) => cols[c])),
    timestamps: Float64Array.from({ length: n }, (_, i) => i * 1000),
  });
}

Deno.test("gateSensors() excludes mostly-missing, flatlined, constant and out-of-range sensors with reasons", () => {
  const n = 20;
  const good = Array.from({ length: n }, (_, i) => Math.sin(i));
  const f = frame({
    good,
    missing: good.map((v, i) => (i < 15 ? NaN : v)),
    stuck: good.map((v, i) => (i < 19 ? 7 : v)),
    constant: good.map(() => 3),
    temp: good.map((v, i) => (i < 6 ? -40 : 20 + v)),
  });
  const r = gateSensors(f, opts);
  deepStrictEqual(r.healthy, ["good"]);
  const reasons = Object.fromEntries(r.health.map((h) => [h.sensor, h.reason ?? "ok"]));
  ok(reasons.missing.startsWith("mostly missing: 75.0%"));
  ok(reasons.stuck.startsWith("flatlined"));
  ok(reasons.constant.startsWith("constant"));
  ok(reasons.temp.startsWith("out of physical range"));
});

Deno.test("selectHealthy() masks out-of-range values and reports missing sensors", () => {
  const f = frame({ temp: [10, 300, 20], other: [1, 2, 3] });
  const r = selectHealthy(f, ["temp", "gone"], opts);
  deepStrictEqual([...r.frame.values.subarray(0, 3)], [10, NaN, 20]);
  strictEqual(r.frame.values.subarray(3).every(Number.isNaN), true);
  deepStrictEqual(r.missing, ["gone"]);
  deepStrictEqual(r.notes.map((n) => n.kind), ["out_of_range", "unmonitored"]);
  strictEqual(r.notes[1].count, 1);
});

Deno.test("selectHealthy() notes a model sensor without any value as unmonitored", () => {
  const f = frame({ a: [1, 2, 3], b: [NaN, NaN, NaN] });
  const r = selectHealthy(f, ["a", "b"], opts);
  strictEqual(r.frame, f);
  deepStrictEqual(r.notes.map((n) => [n.kind, n.count]), [["unmonitored", 1]]);
  ok(/1 of 2 model sensors unmonitored .*no value: "b"/.test(r.notes[0].message));
});
