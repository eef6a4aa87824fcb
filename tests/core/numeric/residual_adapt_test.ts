import assert from "node:assert/strict";
import { adaptOf, initialAdapt, updateAdapt } from "../../../core/numeric/residual_adapt.ts";
import { createRng } from "../../../core/rng.ts";

const MIN = 60_000;
const SETTINGS = { forget: 0.7, guard: 3, maxShift: 4, maxRatio: 2 };

/** One sensor, 1-minute rows over `days`, residual N(0,1) + drift·t (per day) + `step` from `stepAt`. */
function series(days: number, drift: number, seed: number, step = 0, stepAt = Infinity) {
  const rng = createRng(seed);
  const n = days * 1440;
  const q = new Float64Array(n), t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = i * MIN;
    q[i] = rng.normal() + drift * (i / 1440) + (i >= stepAt ? step : 0);
  }
  return { q, t, n };
}

Deno.test("initialAdapt() is the training distribution: centre 0, scale 1", () => {
  const a = adaptOf(initialAdapt(3, 1000), SETTINGS);
  assert.deepEqual([...a.center], [0, 0, 0]);
  assert.deepEqual([...a.scale], [1, 1, 1]);
});

Deno.test("updateAdapt() follows a slow drift to within a fraction of a scale", () => {
  // 0.1 scale a day for 3 weeks: the level reaches 2.1, the centre lags ~1/(−ln 0.7) ≈ 2.8 days
  const { q, t, n } = series(21, 0.1, 1);
  const { state, learnt } = updateAdapt(
    initialAdapt(1, 20160),
    q,
    n,
    t,
    new Uint8Array(n).fill(1),
    SETTINGS,
  );
  assert.ok(learnt > 0.99 * n, `learnt ${learnt} of ${n}`);
  const { center, scale } = adaptOf(state, SETTINGS);
  assert.ok(center[0] > 1.6 && center[0] < 2.1, `centre ${center[0]}`);
  assert.ok(scale[0] > 0.9 && scale[0] < 1.15, `scale ${scale[0]}`);
});

Deno.test("updateAdapt() does not learn a step beyond the guard band, nor masked rows", () => {
  // a 6-scale step after day 2: outside ±3, never learnt
  const { q, t, n } = series(4, 0, 2, 6, 2 * 1440);
  const learn = new Uint8Array(n).fill(1);
  const stepped = updateAdapt(initialAdapt(1, 20160), q, n, t, learn, SETTINGS);
  assert.ok(Math.abs(adaptOf(stepped.state, SETTINGS).center[0]) < 0.05);
  // the same step within the band (2 scales) on masked rows only: not learnt either
  const small = series(4, 0, 2, 2, 2 * 1440);
  const mask = Uint8Array.from({ length: n }, (_, i) => (i < 2 * 1440 ? 1 : 0));
  const masked = updateAdapt(initialAdapt(1, 20160), small.q, n, t, mask, SETTINGS);
  assert.ok(Math.abs(adaptOf(masked.state, SETTINGS).center[0]) < 0.05);
  // unmasked, within the band, it is learnt
  const open = updateAdapt(initialAdapt(1, 20160), small.q, n, t, learn, SETTINGS);
  const c = adaptOf(open.state, SETTINGS).center[0];
  assert.ok(c > 0.15 && c < 2, `centre ${c}`); // partly: the training weight still counts
});

Deno.test("adaptOf() clamps the centre to ±maxShift and the scale to [1, ratio]", () => {
  const s = initialAdapt(2, 1);
  s.w.set([1, 1]);
  s.s1.set([10, 0]);
  s.s2.set([100 + 9, 0.01]);
  const a = adaptOf(s, SETTINGS);
  assert.deepEqual([...a.center], [4, 0]);
  assert.deepEqual([...a.scale], [2, 1]);
});

Deno.test("updateAdapt() forgets per day of data, not per row, and leaves its input unchanged", () => {
  const start = initialAdapt(1, 1000);
  const q = Float64Array.from([1, 1]);
  const hourly = updateAdapt(
    start,
    q,
    2,
    Float64Array.from([0, 3_600_000]),
    Uint8Array.from([1, 1]),
    SETTINGS,
  );
  const daily = updateAdapt(
    start,
    q,
    2,
    Float64Array.from([0, 86_400_000]),
    Uint8Array.from([1, 1]),
    SETTINGS,
  );
  assert.ok(Math.abs(hourly.state.w[0] - (1001 * 0.7 ** (1 / 24) + 1)) < 1e-9);
  assert.ok(Math.abs(daily.state.w[0] - (1001 * 0.7 + 1)) < 1e-9);
  assert.equal(start.w[0], 1000);
});
