import assert from "node:assert/strict";
import {
  diffSeries,
  lagSeries,
  ROLLING_STATS,
  rollingStats,
} from "../../../core/numeric/rolling.ts";
import { assertClose, createRng, f64, golden } from "./_golden_a.ts";

const g = golden.rolling;
const x = f64(g.x);
const ts = Float64Array.from(g.ts as number[]);

Deno.test("rollingStats() on a row window matches pandas/numpy/scipy per-window references", () => {
  const stats = ["median", "mad", "mean", "std", "slope", "skew", "kurt", "rz"] as const;
  const out = rollingStats(x, ts, { rows: g.window_rows, ms: 0 }, stats);
  const tol: Record<string, number> = { skew: 1e-9, kurt: 1e-9, slope: 1e-10, rz: 1e-9 };
  stats.forEach((s, k) => assertClose(out[k], f64(g.rows[s]), tol[s] ?? 1e-12, s));
});

Deno.test("rollingStats() std equals pandas rolling std wherever pandas has a value (≥ 2 points)", () => {
  const [std] = rollingStats(x, ts, { rows: g.window_rows, ms: 0 }, ["std"]);
  const pandas = f64(g.rows.std_pandas);
  let compared = 0;
  pandas.forEach((v, i) => {
    if (Number.isNaN(v)) return;
    compared++;
    assert.ok(Math.abs(std[i] - v) < 1e-9, `row ${i}: ${std[i]} vs ${v}`);
  });
  assert.ok(compared > 150);
});

Deno.test("rollingStats() on a time window (ts > t − ms) matches pandas rolling('9000ms')", () => {
  const out = rollingStats(x, ts, { rows: 0, ms: g.window_ms }, ["median", "mean", "mad", "slope"]);
  ["median", "mean", "mad", "slope"].forEach((s, k) =>
    assertClose(out[k], f64(g.time[s]), 1e-10, s)
  );
});

Deno.test("rollingStats() gives NaN for an all-NaN window and defined values for one point", () => {
  const v = new Float64Array([NaN, NaN, 3, NaN, NaN, NaN]);
  const t = new Float64Array([0, 1, 2, 3, 4, 5]);
  const out = rollingStats(v, t, { rows: 2, ms: 0 }, [...ROLLING_STATS]);
  for (const o of out) {
    assert.ok(Number.isNaN(o[0]) && Number.isNaN(o[1]) && Number.isNaN(o[5]));
  }
  // row 2: one point → median 3, mad 0, mean 3, std/slope/skew/kurt/rz 0
  assert.deepEqual(out.map((o) => o[2]), [3, 0, 3, 0, 0, 0, 0, 0]);
  // row 3: x is NaN but the window holds 3 → stats defined, rz NaN (no current value)
  assert.equal(out[0][3], 3);
  assert.ok(Number.isNaN(out[7][3]));
});

Deno.test("rollingStats() clips rz of a flat window at ±rzClip", () => {
  const v = new Float64Array([5, 5, 5, 5, 9]);
  const [rz] = rollingStats(v, new Float64Array(5), { rows: 5, ms: 0 }, ["rz"], 100);
  assert.equal(rz[4], 100);
  assert.equal(rz[3], 0);
});

Deno.test("rollingStats() median and mad equal brute force on long random windows with ties", () => {
  const rng = createRng(8);
  const n = 3000;
  const v = new Float64Array(n).map(() => (rng.next() < 0.05 ? NaN : Math.round(rng.normal() * 3)));
  const [med, mad] = rollingStats(v, new Float64Array(n), { rows: 101, ms: 0 }, ["median", "mad"]);
  const medianOf = (a: number[]) => {
    const s = a.slice().sort((p, q) => p - q);
    const h = s.length >> 1;
    return s.length % 2 ? s[h] : 0.5 * (s[h - 1] + s[h]);
  };
  for (let t = 0; t < n; t += 7) {
    const w = Array.from(v.subarray(Math.max(0, t - 100), t + 1)).filter((y) => !Number.isNaN(y));
    const m = medianOf(w);
    assert.equal(med[t], m + 0, `median ${t}`);
    assert.equal(mad[t], medianOf(w.map((y) => Math.abs(y - m))), `mad ${t}`);
  }
});

Deno.test("rollingStats() of a suffix with carried rows equals the whole-series result bit for bit", () => {
  const cut = 120, carry = g.window_rows - 1;
  const whole = rollingStats(x, ts, { rows: g.window_rows, ms: 0 }, [...ROLLING_STATS]);
  const part = rollingStats(x.slice(cut - carry), ts.slice(cut - carry), {
    rows: g.window_rows,
    ms: 0,
  }, [
    ...ROLLING_STATS,
  ]);
  whole.forEach((w, k) => {
    for (let i = cut; i < x.length; i++) {
      assert.ok(Object.is(w[i], part[k][i - cut + carry]), `${k} row ${i}`);
    }
  });
});

Deno.test("lagSeries() and diffSeries() shift by whole rows with NaN without history", () => {
  const v = new Float64Array([1, 2, 4, 8]);
  assertClose(lagSeries(v, 2), [NaN, NaN, 1, 2], 0, "lag");
  assertClose(diffSeries(v, 1), [NaN, 1, 2, 4], 0, "diff");
});

Deno.test("rollingStats() gives every statistic alone exactly as among all of them (row and time windows)", () => {
  const xs = x.slice();
  xs[5] = NaN;
  xs[40] = Infinity;
  for (const window of [{ rows: 7, ms: 0 }, { rows: 0, ms: 3 * (ts[1] - ts[0]) + 1 }]) {
    const all = rollingStats(xs, ts, window, ROLLING_STATS);
    ROLLING_STATS.forEach((s, k) => {
      const [alone] = rollingStats(xs, ts, window, [s]);
      assert.deepEqual(alone, all[k], `${s} ${window.ms > 0 ? "time" : "rows"} window`);
    });
  }
});
