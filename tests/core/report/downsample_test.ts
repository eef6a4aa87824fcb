import assert from "node:assert/strict";
import { bucketEnds, minMaxDownsample } from "../../../core/report/downsample.ts";

Deno.test("minMaxDownsample() keeps every bucket's peak and trough, in time order", () => {
  const n = 100_000;
  const x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i * 1000;
    y[i] = Math.sin(i / 500);
  }
  y[12_345] = 42; // a one-row spike
  y[77_777] = -17; // a one-row dip
  const d = minMaxDownsample(x, y, 500);
  assert.ok(d.x.length <= 1000 && d.x.length >= 500);
  assert.equal(Math.max(...d.y), 42);
  assert.equal(Math.min(...d.y), -17);
  assert.equal(d.x[d.y.indexOf(42)], 12_345_000);
  for (let i = 1; i < d.x.length; i++) assert.ok(d.x[i] > d.x[i - 1]);
});

Deno.test("minMaxDownsample() returns short series unchanged and skips NaN", () => {
  const x = Float64Array.from([0, 1, 2]), y = Float64Array.from([1, NaN, 3]);
  assert.deepEqual([...minMaxDownsample(x, y, 10).y].map(String), ["1", "NaN", "3"]);
  const big = new Float64Array(1000).fill(NaN);
  big[10] = 5;
  const d = minMaxDownsample(Float64Array.from(big.keys()), big, 10);
  assert.deepEqual([...d.y], [5]);
});

Deno.test("minMaxDownsample() with bucketEnds() gives the same points as without", () => {
  const n = 20_000;
  const x = new Float64Array(n), y = new Float64Array(n), z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i * 60_000 + (i > 9000 ? 3_600_000 : 0); // one gap
    y[i] = i % 97 === 0 ? NaN : Math.cos(i / 37) + (i % 13 === 0 ? 5 : 0);
    z[i] = (i * 7919) % 101;
  }
  const ends = bucketEnds(x, 700);
  assert.ok(ends !== null && ends[699] === n);
  for (const v of [y, z]) {
    const a = minMaxDownsample(x, v, 700), b = minMaxDownsample(x, v, 700, ends);
    assert.deepEqual([...b.x], [...a.x]);
    assert.deepEqual([...b.y], [...a.y]);
  }
  assert.equal(bucketEnds(x.subarray(0, 1000), 700), null);
});
