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

/** minMaxDownsample as first written: explicit NaN test, the first value seeds low and high. */
function plainDownsample(x: Float64Array, y: Float64Array, ends: Int32Array) {
  const outX: number[] = [], outY: number[] = [];
  let i = 0;
  for (const end of ends) {
    let lo = -1, hi = -1, vlo = 0, vhi = 0;
    for (; i < end; i++) {
      const v = y[i];
      if (v !== v) continue;
      if (lo < 0) {
        lo = hi = i;
        vlo = vhi = v;
        continue;
      }
      if (v < vlo) [lo, vlo] = [i, v];
      if (v > vhi) [hi, vhi] = [i, v];
    }
    if (lo < 0) continue;
    for (const k of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) {
      outX.push(x[k]);
      outY.push(y[k]);
    }
  }
  return { x: outX, y: outY };
}

Deno.test("minMaxDownsample() keeps the points of a plain reference, with NaN, ±Infinity, ±0 and ties", () => {
  let s = 5;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const special = [NaN, Infinity, -Infinity, 0, -0, 1, 1];
  for (let trial = 0; trial < 200; trial++) {
    const n = 500 + Math.floor(rnd() * 3000), buckets = 1 + Math.floor(rnd() * 200);
    const x = Float64Array.from({ length: n }, (_, i) => i * 1000);
    const mode = trial % 4; // plain, sprinkled specials, mostly specials, all one special
    const one = special[trial % special.length];
    const y = Float64Array.from(
      { length: n },
      () =>
        mode === 3
          ? one
          : mode === 0 || rnd() < (mode === 1 ? 0.9 : 0.1)
          ? Math.round(rnd() * 20) / 4
          : special[Math.floor(rnd() * special.length)],
    );
    const ends = bucketEnds(x, buckets);
    if (ends === null) continue;
    const got = minMaxDownsample(x, y, buckets, ends), want = plainDownsample(x, y, ends);
    assert.deepEqual([...got.x], want.x, `trial ${trial}`);
    assert.deepEqual(
      [...got.y].map((v) => Object.is(v, -0) ? "-0" : String(v)),
      want.y.map((v) => Object.is(v, -0) ? "-0" : String(v)),
    );
  }
});
