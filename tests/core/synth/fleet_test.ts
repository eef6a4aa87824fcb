import assert from "node:assert/strict";
import { column } from "../../../core/frame.ts";
import { readCsvFile } from "../../../core/source/csv_reader.ts";
import { frameToCsv } from "../../../core/replay/split.ts";
import { type Fleet, generateFleet, writeFleetCsv } from "../../../core/synth/fleet.ts";
import { fleetTruth } from "../../../core/synth/fleet_csv.ts";
import { FAULT_KINDS } from "../../../core/synth/faults.ts";

const bytes = (f: Fleet) =>
  f.assets.map((a) => frameToCsv(a.frame)).join("\n") + JSON.stringify(fleetTruth(f));

function corr(x: Float64Array, y: Float64Array, keep: (i: number) => boolean): number {
  let n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!keep(i) || Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    n++, sx += x[i], sy += y[i], sxx += x[i] * x[i], syy += y[i] * y[i], sxy += x[i] * y[i];
  }
  return (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
}

Deno.test("generateFleet() gives identical bytes for the same seed and different data for another", () => {
  const a = bytes(generateFleet({ seed: 11 }));
  assert.equal(bytes(generateFleet({ seed: 11 })), a);
  assert.notEqual(bytes(generateFleet({ seed: 12 })), a);
});

Deno.test("generateFleet() defaults to 3 assets × 14 days at 5 min with all four fault kinds", () => {
  const f = generateFleet();
  assert.deepEqual(f.assets.map((a) => a.name), ["PUMP_A", "FAN_B", "TURBINE_C"]);
  for (const a of f.assets) {
    assert.equal(a.frame.rows, 4032);
    assert.ok(a.frame.columns.length >= 8 && a.frame.columns.length <= 16);
  }
  assert.equal(f.faults.length, 6);
  assert.deepEqual([...new Set(f.faults.map((x) => x.kind))].sort(), [...FAULT_KINDS].sort());
});

Deno.test("generateFleet() puts every fault after the training window, inside the series, on existing sensors", () => {
  const f = generateFleet({ seed: 3 });
  for (const fault of f.faults) {
    assert.ok(fault.start >= f.trainEnd, `${fault.asset} ${fault.kind} starts in training`);
    assert.ok(fault.end > fault.start && fault.end <= f.end);
    const asset = f.assets.find((a) => a.name === fault.asset)!;
    for (const s of fault.sensors) assert.ok(asset.frame.columns.includes(s));
  }
});

Deno.test("generateFleet() leaves the training rows bit-identical whether or not faults are injected", () => {
  const withFaults = generateFleet({ seed: 5 });
  const clean = generateFleet({ seed: 5, faultsPerAsset: 0 });
  assert.equal(clean.faults.length, 0);
  withFaults.assets.forEach((a, k) => {
    const b = clean.assets[k].frame;
    const trainRows = a.frame.timestamps.findIndex((t) => t >= withFaults.trainEnd);
    let differ = 0;
    for (let j = 0; j < a.frame.columns.length; j++) {
      for (let i = 0; i < a.frame.rows; i++) {
        const same = Object.is(a.frame.values[j * a.frame.rows + i], b.values[j * b.rows + i]);
        if (i < trainRows) {
          assert.ok(same, `${a.name} ${a.frame.columns[j]} row ${i} differs in training`);
        } else if (!same) differ++;
      }
    }
    assert.ok(differ > 50, `${a.name}: the faults should change the scoring rows`);
  });
});

Deno.test("generateFleet() injects a bearing-wear vibration rise and a broken current–power relation", () => {
  const f = generateFleet();
  const wear = f.faults.find((x) => x.kind === "bearing_wear")!;
  const a = f.assets.find((x) => x.name === wear.asset)!.frame;
  const vib = column(a, a.columns.indexOf(wear.sensors[0]));
  const speed = column(a, a.columns.findIndex((c) => c.startsWith("SPEED")));
  const top = Math.max(...speed.filter((v) => !Number.isNaN(v)));
  const ratio = (from: number, to: number) => {
    let s = 0, n = 0;
    for (let i = 0; i < a.rows; i++) {
      const t = a.timestamps[i];
      if (t >= from && t < to && speed[i] > 0.5 * top && !Number.isNaN(vib[i])) {
        (s += vib[i] / speed[i] ** 2), n++;
      }
    }
    return s / n;
  };
  const late = wear.start + (wear.end - wear.start) * 0.6;
  assert.ok(ratio(late, wear.end) > 1.8 * ratio(a.timestamps[0], f.trainEnd));

  const dec = f.faults.find((x) => x.kind === "decoupling")!;
  const d = f.assets.find((x) => x.name === dec.asset)!.frame;
  const [cur, pow] = dec.sensors.map((s) => column(d, d.columns.indexOf(s)));
  const ratioCP = (from: number, to: number) => {
    let s = 0, n = 0;
    for (let i = 0; i < d.rows; i++) {
      const t = d.timestamps[i];
      if (t >= from && t < to && pow[i] > 0.5 * 540 && !Number.isNaN(cur[i] / pow[i])) {
        (s += cur[i] / pow[i]), n++;
      }
    }
    return s / n;
  };
  assert.ok(ratioCP(dec.start + 3_600_000, dec.end) > 1.06 * ratioCP(d.timestamps[0], f.trainEnd));
});

Deno.test("generateFleet() makes linked sensors, stops in training, a flatline and missing cells", () => {
  const f = generateFleet();
  for (const a of f.assets) {
    const fr = a.frame;
    const cur = column(fr, fr.columns.findIndex((c) => c.includes("CURRENT")));
    const pow = column(fr, fr.columns.findIndex((c) => c.includes("POWER") || c === "LOAD_MW"));
    const train = (i: number) => fr.timestamps[i] < f.trainEnd;
    assert.ok(corr(cur, pow, train) > 0.95, `${a.name} current and power should move together`);
    const speed = column(fr, fr.columns.indexOf("SPEED_RPM"));
    let stopped = 0;
    for (let i = 0; i < fr.rows; i++) if (train(i) && speed[i] < 1) stopped++;
    assert.ok(stopped > 12, `${a.name} should stop at least once during training`);
    assert.ok(fr.values.some(Number.isNaN), `${a.name} should have missing cells`);
  }
  const flat = f.notes.find((n) => n.kind === "flatline")!;
  assert.equal(flat.asset, "FAN_B");
  const fan = f.assets[1].frame;
  const x = column(fan, fan.columns.indexOf(flat.sensor!));
  assert.ok(x.every((v) => v === x[0]));
});

Deno.test("generateFleet() scales to the guide's large profile (100 sensors × 4,320 rows at 1 min)", () => {
  const f = generateFleet({ assets: ["BIG_TURBINE"], sensors: 100, days: 3, cadenceS: 60 });
  const fr = f.assets[0].frame;
  assert.equal(f.assets[0].type, "turbine");
  assert.equal(fr.rows, 4320);
  assert.equal(new Set(fr.columns).size, 100);
  assert.ok(f.faults.length >= 1);
});

Deno.test("writeFleetCsv() writes CSVs the reader reads back to the same frame, and faults.json", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const f = generateFleet({ assets: 1, days: 2, cadenceS: 600 });
    const files = await writeFleetCsv(f, dir);
    const back = (await readCsvFile(files.csv.PUMP_A)).frame;
    const orig = f.assets[0].frame;
    assert.deepEqual(back.columns, orig.columns);
    assert.deepEqual([...back.timestamps], [...orig.timestamps]);
    assert.ok(back.values.every((v, k) => Object.is(v, orig.values[k])));
    const truth = JSON.parse(await Deno.readTextFile(files.faults));
    assert.equal(truth.faults.length, f.faults.length);
    assert.match(truth.faults[0].start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
