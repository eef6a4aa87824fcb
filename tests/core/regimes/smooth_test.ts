import assert from "node:assert/strict";
import { smoothLabels } from "../../../core/regimes/smooth.ts";
import { createRng } from "../../../core/rng.ts";

const minute = (n: number) => Float64Array.from({ length: n }, (_, i) => i * 60_000);
const smooth = (labels: number[], minDwellRows = 3, minDwellS = 0) =>
  Array.from(
    smoothLabels(Int32Array.from(labels), minute(labels.length), { minDwellRows, minDwellS })
      .labels,
  );

Deno.test("smoothLabels() absorbs a short run inside one regime", () => {
  assert.deepEqual(smooth([0, 0, 0, 0, 1, 0, 0, 0, 0]), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

Deno.test("smoothLabels() gives a short run to the longer neighbour, the earlier one on a tie", () => {
  assert.deepEqual(smooth([0, 0, 0, 2, 1, 1, 1, 1, 1]), [0, 0, 0, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(smooth([0, 0, 0, 0, 0, 2, 1, 1, 1, 1]), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  assert.deepEqual(smooth([0, 0, 0, 0, 2, 1, 1, 1, 1, 5]), [0, 0, 0, 0, 0, 1, 1, 1, 1, 5]);
});

Deno.test("smoothLabels() never invents a label (no median filter on categories)", () => {
  // A median of ids 0, 2 over a window would produce 1; dwell smoothing cannot.
  const rng = createRng(3);
  const labels: number[] = [];
  while (labels.length < 2000) {
    const lab = [0, 2, 5][rng.int(3)], len = 1 + rng.int(8);
    for (let i = 0; i < len; i++) labels.push(lab);
  }
  const out = smooth(labels, 4);
  assert.ok(out.every((l) => l === 0 || l === 2 || l === 5));
  // Every run but the open last one is now at least 4 rows long.
  const runs: number[] = [];
  for (let i = 0, s = 0; i <= out.length; i++) {
    if (i === out.length || out[i] !== out[s]) {
      runs.push(i - s);
      s = i;
    }
  }
  assert.ok(runs.slice(0, -1).every((r) => r >= 4), `short run left: ${runs}`);
});

Deno.test("smoothLabels() applies min_dwell_s on the time span to the next run", () => {
  // 4-row runs at 1-minute spacing span 4 minutes: kept at 3 min, absorbed at 5 min.
  const labels = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
  assert.deepEqual(smooth(labels, 0, 180), labels);
  assert.deepEqual(smooth(labels, 0, 300), labels.map(() => 0));
});

Deno.test("smoothLabels() keeps -1 rows and smooths across them", () => {
  assert.deepEqual(smooth([0, 0, 0, -1, 1, -1, 0, 0, 0]), [0, 0, 0, -1, 0, -1, 0, 0, 0]);
  assert.deepEqual(smooth([-1, -1]), [-1, -1]);
});

Deno.test("smoothLabels() leaves the open last run alone and returns it as the carry", () => {
  const out = smoothLabels(Int32Array.from([0, 0, 0, 0, 1]), minute(5), {
    minDwellRows: 3,
    minDwellS: 0,
  });
  assert.deepEqual(Array.from(out.labels), [0, 0, 0, 0, 1]);
  assert.deepEqual(out.carry, { label: 1, rows: 1, startTs: 4 * 60_000 });
});

Deno.test("smoothLabels() with a carry continues the previous chunk's run", () => {
  const ts = minute(8).map((t) => t + 3_600_000);
  const carry = { label: 1, rows: 10, startTs: 0 };
  // [1, 1] continues a 10-row run: not short. The short 2 joins the longer left run.
  const out = smoothLabels(Int32Array.from([1, 1, 2, 0, 0, 0, 0, 0]), ts, {
    minDwellRows: 3,
    minDwellS: 0,
  }, carry);
  assert.deepEqual(Array.from(out.labels), [1, 1, 1, 0, 0, 0, 0, 0]);
  assert.deepEqual(out.carry, { label: 0, rows: 5, startTs: ts[3] });
  // A short first run different from the carry is absorbed by the carried run.
  const out2 = smoothLabels(Int32Array.from([2, 0, 0, 0, 0]), ts.subarray(0, 5), {
    minDwellRows: 3,
    minDwellS: 0,
  }, {
    label: 0,
    rows: 50,
    startTs: 0,
  });
  assert.deepEqual(Array.from(out2.labels), [0, 0, 0, 0, 0]);
  assert.equal(out2.carry.rows, 55);
});

Deno.test("smoothLabels() over chunks differs from whole-series smoothing only next to a chunk's open run", () => {
  const rng = createRng(11);
  const labels: number[] = [];
  const cuts: number[] = [];
  for (let r = 0; labels.length < 3000; r++) {
    const len = r % 5 === 4 ? 1 + rng.int(2) : 20 + rng.int(20);
    const lab = rng.int(3);
    if (len >= 20 && r % 7 === 0) cuts.push(labels.length + 10); // a cut inside a long run
    for (let i = 0; i < len; i++) labels.push(lab);
  }
  const ts = minute(labels.length);
  const opts = { minDwellRows: 3, minDwellS: 0 };
  const whole = smoothLabels(Int32Array.from(labels), ts, opts).labels;
  const pieces: number[] = [];
  let carry = null;
  const bounds = [0, ...cuts, labels.length];
  for (let c = 0; c + 1 < bounds.length; c++) {
    const [s, e] = [bounds[c], bounds[c + 1]];
    const out = smoothLabels(Int32Array.from(labels.slice(s, e)), ts.subarray(s, e), opts, carry);
    pieces.push(...out.labels);
    carry = out.carry;
  }
  assert.ok(cuts.length >= 5);
  // A short run just before the chunk's open last run is weighed against the part of
  // that run seen so far; that is the only place the two may differ.
  const differ = pieces.flatMap((l, i) => (l !== whole[i] ? [i] : []));
  for (const i of differ) {
    assert.ok(cuts.some((c) => i >= c - 10 - 2 && i < c - 10), `row ${i} differs away from a cut`);
  }
  assert.ok(differ.length <= 2 * cuts.length && differ.length < 0.005 * labels.length);
});
