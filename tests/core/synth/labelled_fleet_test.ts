import assert from "node:assert/strict";
import { frameToCsv } from "../../../core/replay/split.ts";
import { digestHex } from "../../../core/hash.ts";
import { generateLabelledFleet, type LabelledFleet } from "../../../core/synth/labelled_fleet.ts";
import { FAULT_MIX } from "../../../core/synth/labelled_faults.ts";
import { lowerBound } from "../../../core/numeric/lower_bound.ts";
import { chunkWindows, labelledTruth } from "../../../core/synth/labelled_chunks.ts";

const DAY = 86_400_000;
const fleet1 = generateLabelledFleet({ seed: 1 });

const bytes = (f: LabelledFleet) =>
  f.assets.map((a) => frameToCsv(a.frame)).join("\n") + JSON.stringify(labelledTruth(f));

function col(f: LabelledFleet, asset: string, sensor: string): Float64Array {
  const a = f.assets.find((x) => x.name === asset)!;
  const j = a.frame.columns.indexOf(sensor);
  return a.frame.values.subarray(j * a.frame.rows, (j + 1) * a.frame.rows);
}

Deno.test("generateLabelledFleet() gives identical bytes for the same seed and other data for another", () => {
  const small = (seed: number) => bytes(generateLabelledFleet({ seed, weeks: 1 }));
  assert.equal(small(1), small(1));
  assert.notEqual(small(2), small(1));
});

Deno.test("generateLabelledFleet() keeps the benchmark's data stable (seed 1 digest)", async () => {
  // The benchmark's seeds must keep meaning the same data: a change here breaks
  // comparisons with published numbers. Update only with a "READY:" commit that says so.
  const parts = fleet1.assets.map((a) => new Uint8Array(a.frame.values.buffer));
  const all = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) all.set(p, at), at += p.length;
  const digest = await digestHex(all);
  const truth = await digestHex(new TextEncoder().encode(JSON.stringify(labelledTruth(fleet1))));
  assert.deepEqual([digest.slice(0, 16), truth.slice(0, 16)], [
    "fec65fb6ca291b76",
    "abd3f6c8f6b7dfe2",
  ]);
});

Deno.test("generateLabelledFleet() builds 4 machines of 9/16/24/40 sensors over 14 + 7×7 days at 1 min", () => {
  assert.deepEqual(fleet1.assets.map((a) => a.sensors.length), [9, 16, 24, 40]);
  assert.equal(fleet1.trainEnd - fleet1.start, 14 * DAY);
  assert.equal(fleet1.weeks.length, 7);
  assert.equal(fleet1.end - fleet1.start, 63 * DAY);
  for (const a of fleet1.assets) {
    // 63 days of minutes less one 20–60 min outage.
    assert.ok(a.frame.rows >= 63 * 1440 - 60 && a.frame.rows <= 63 * 1440 - 20, `${a.frame.rows}`);
    assert.equal(a.frame.timestamps[1] - a.frame.timestamps[0], 60_000);
  }
  assert.equal(chunkWindows(fleet1).length, 8);
});

Deno.test("generateLabelledFleet() injects the 23-fault mix after training, one filling a whole week", () => {
  for (const seed of [1, 101]) {
    const f = seed === 1 ? fleet1 : generateLabelledFleet({ seed });
    assert.equal(f.faults.length, 23);
    for (const [kind, count] of Object.entries(FAULT_MIX)) {
      assert.equal(f.faults.filter((x) => x.kind === kind).length, count, kind);
    }
    assert.ok(f.faults.every((x) => x.start >= f.trainEnd && x.end <= f.end && x.end > x.start));
    const whole = f.faults.filter((x) => x.wholeChunk);
    assert.equal(whole.length, 1);
    assert.equal(whole[0].kind, "gain");
    assert.equal(whole[0].end - whole[0].start, 7 * DAY);
    const slots = new Set(f.faults.map((x) => `${x.asset}/${x.chunk}`));
    assert.equal(slots.size, 23, "one fault per asset and weekly chunk");
  }
});

Deno.test("generateLabelledFleet() has off periods, but none in FAN/TURBINE training", () => {
  for (const a of fleet1.assets) {
    const speed = col(fleet1, a.name, "S01_SPEED_RPM");
    const cut = lowerBound(a.frame.timestamps, fleet1.trainEnd);
    const offTrain = speed.subarray(0, cut).filter((v) => v === 0).length;
    const offLater = speed.subarray(cut).filter((v) => v === 0).length;
    assert.equal(offTrain > 0, a.trainStop, `${a.name} training off rows ${offTrain}`);
    assert.ok(offLater > 0, `${a.name} stops after training`);
  }
  assert.deepEqual(fleet1.assets.map((a) => a.trainStop), [true, false, true, false]);
});

Deno.test("generateLabelledFleet() takes ambient beyond the training range and leaves cells missing", () => {
  const a = fleet1.assets[0];
  const amb = col(fleet1, a.name, "S09_AMBIENT_C");
  const cut = lowerBound(a.frame.timestamps, fleet1.trainEnd);
  const finite = (xs: Float64Array) => [...xs].filter(Number.isFinite);
  const trainMax = Math.max(...finite(amb.subarray(0, cut)));
  const last = finite(amb.subarray(amb.length - 7 * 1440));
  assert.ok(last.filter((v) => v > trainMax).length > 0.3 * last.length, "last week mostly hotter");
  assert.ok(a.frame.values.some(Number.isNaN));
});

Deno.test("generateLabelledFleet() makes pressure a non-linear (quadratic) function of speed", () => {
  const a = fleet1.assets[0];
  const speed = col(fleet1, a.name, "S01_SPEED_RPM"), press = col(fleet1, a.name, "S05_PRESS_BAR");
  // Mean pressure in speed bands 0.6–0.65 and 0.95–1.0 of the maximum: the rise over the
  // rise of a straight line through the origin value must exceed 1 (convex).
  const max = Math.max(...[...speed].filter(Number.isFinite));
  const band = (lo: number, hi: number) => {
    let s = 0, n = 0;
    for (let i = 0; i < speed.length; i++) {
      const x = speed[i] / max;
      if (x >= lo && x < hi && Number.isFinite(press[i])) (s += press[i]), n++;
    }
    return s / n;
  };
  const p0 = band(-0.001, 0.001), p1 = band(0.6, 0.65), p2 = band(0.95, 1.01);
  assert.ok((p2 - p0) / (p1 - p0) > 1.9, `${p0} ${p1} ${p2}`);
});

Deno.test("generateLabelledFleet() faults change their sensor: a step moves the mean, noise widens it", () => {
  const f = fleet1;
  for (const fault of f.faults.filter((x) => x.kind === "step" || x.kind === "noise")) {
    const a = f.assets.find((x) => x.name === fault.asset)!;
    const v = col(f, a.name, fault.sensor);
    const i0 = lowerBound(a.frame.timestamps, fault.start);
    const i1 = lowerBound(a.frame.timestamps, fault.end);
    const spec = a.sensors.find((s) => s.name === fault.sensor)!;
    // Compare with the hour before the fault (same machine, steady operation).
    const diffs = (from: number, to: number) => {
      const d: number[] = [];
      for (let i = from + 1; i < to; i++) {
        if (Number.isFinite(v[i]) && Number.isFinite(v[i - 1])) d.push(v[i] - v[i - 1]);
      }
      return Math.sqrt(d.reduce((s, x) => s + x * x, 0) / d.length);
    };
    if (fault.kind === "noise") {
      assert.ok(diffs(i0, i1) > 2.5 * diffs(i0 - 120, i0), `${fault.asset} ${fault.sensor}`);
    } else {
      const jump = v[i0 + 1] - v[i0 - 2];
      assert.ok(Math.abs(jump) > 2 * spec.noise, `${fault.asset} ${fault.sensor} jump ${jump}`);
    }
  }
});

Deno.test("generateLabelledFleet() seasonal_drift: same training and faults, temperature baselines drift slowly after training", () => {
  const std = generateLabelledFleet({ seed: 3, weeks: 2 });
  const season = generateLabelledFleet({ seed: 3, weeks: 2, scenario: "seasonal_drift" });
  assert.deepEqual(
    labelledTruth(season).faults ?? season.faults,
    labelledTruth(std).faults ?? std.faults,
  );
  const a = season.assets[0], b = std.assets[0];
  const train = lowerBound(a.frame.timestamps, season.trainEnd);
  const last = a.frame.rows - 1;
  let drifting = 0;
  for (const s of a.sensors) {
    const j = a.frame.columns.indexOf(s.name);
    const x = a.frame.values.subarray(j * a.frame.rows, (j + 1) * a.frame.rows);
    const y = b.frame.values.subarray(j * b.frame.rows, (j + 1) * b.frame.rows);
    const diff = x[last] - y[last];
    if (s.role === "temperature") {
      // 0.4–0.8 σ a week, over 2 weeks, plus the steeper ambient (3 vs 1.5 °C a week)
      if (Math.abs(diff - s.ambientCoeff * 1.5 * 2) > 0.5 * s.noise) drifting++;
    } else if (s.role !== "ambient") {
      assert.ok(Math.abs(diff) < 1e-9 || Number.isNaN(diff), `${s.name} changed by ${diff}`);
    }
  }
  assert.ok(drifting >= 1, "no temperature baseline drifts");
  // the training part of the non-temperature, non-ambient sensors is identical
  const j = a.sensors.findIndex((s) => s.role === "speed");
  assert.deepEqual(
    a.frame.values.subarray(j * a.frame.rows, j * a.frame.rows + train),
    b.frame.values.subarray(j * b.frame.rows, j * b.frame.rows + train),
  );
});
