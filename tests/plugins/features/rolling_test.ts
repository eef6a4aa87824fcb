import assert from "node:assert/strict";
import { Ajv2020 } from "ajv";
import plugin, { type RollingOptions } from "../../../plugins/features/rolling.ts";
import { concatRows, type Frame, makeFrame, sliceRows } from "../../../core/frame.ts";
import { pluginContext } from "../../../core/engine/context.ts";
import { silentLogger } from "../../../core/log.ts";
import type { Lookback } from "../../../core/plugin.ts";
import { createRng } from "../../../core/rng.ts";
import { readCsvFile } from "../../../core/source/csv_reader.ts";

function create(extra: Record<string, unknown> = {}) {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, useDefaults: true });
  const o = structuredClone(extra);
  assert.ok(ajv.compile(plugin.options)(o), "options validate");
  return plugin.create(
    o as unknown as RollingOptions,
    pluginContext("roll", "rolling", 17, silentLogger),
  );
}

/** Irregular timestamps (0.5–2.5 s apart), two sensors with NaN gaps and quantised values. */
function frame(seed: number, rows: number, t0: number): Frame {
  const rng = createRng(seed);
  const values = new Float64Array(rows * 2);
  const ts = new Float64Array(rows);
  let t = t0;
  for (let i = 0; i < rows; i++) {
    t += 500 + rng.int(2000);
    ts[i] = t;
    values[i] = rng.next() < 0.05 ? NaN : Math.round(rng.normal() * 8) / 4;
    values[rows + i] = 100 + 0.01 * i + rng.normal();
  }
  return makeFrame({ columns: ["p", "q"], sensors: ["P", "Q"], values, timestamps: ts });
}

/** What the engine does: keep the last lookback of `a` (rows or ms, whichever reaches further back). */
function carried(a: Frame, lb: Lookback): Frame {
  let start = Math.max(0, a.rows - lb.rows);
  if (lb.ms > 0) {
    const edge = a.timestamps[a.rows - 1] - lb.ms;
    let s = a.rows;
    while (s > 0 && a.timestamps[s - 1] > edge) s--;
    start = Math.min(start, s);
  }
  return sliceRows(a, start, a.rows);
}

function assertChunkEquivalence(extra: Record<string, unknown>) {
  const feature = create(extra);
  const a = frame(1, 300, 1.7e12);
  const b = frame(2, 200, a.timestamps[a.rows - 1]);
  const whole = feature.transform(concatRows(a, b));
  const carry = carried(a, feature.lookback);
  const chunk = feature.transform(concatRows(carry, b));
  assert.deepEqual(chunk.columns, whole.columns);
  for (let j = 0; j < whole.columns.length; j++) {
    for (let i = 0; i < b.rows; i++) {
      const w = whole.values[j * whole.rows + a.rows + i];
      const c = chunk.values[j * chunk.rows + carry.rows + i];
      assert.ok(Object.is(w, c), `${whole.columns[j]} row ${i}: ${w} vs ${c}`);
    }
  }
}

Deno.test("rolling plugin metadata follows the plugin contract", () => {
  assert.equal(plugin.kind, "feature");
  assert.equal(plugin.host_api, "^1.0.0");
  assert.equal(plugin.options.additionalProperties, false);
  const props = plugin.options.properties as Record<string, Record<string, unknown>>;
  for (const [key, p] of Object.entries(props)) {
    assert.ok(typeof p.description === "string" && "default" in p, key);
  }
  const validate = new Ajv2020({ strict: true, strictTypes: false }).compile(plugin.options);
  for (const ex of plugin.options.examples as unknown[]) assert.ok(validate(ex));
  assert.ok(!validate({ stats: ["median", "iqr"] }));
  assert.ok(!validate({ window: 16 }));
});

Deno.test("rolling transform() names columns <column>_<stat>, keeps sensors and rows", () => {
  const f = frame(1, 50, 0);
  const out = create({ window_rows: 4, stats: ["median", "rz"], lags: [2], diffs: [1] }).transform(
    f,
  );
  assert.deepEqual(out.columns, [
    "p_median",
    "p_rz",
    "p_lag2",
    "p_diff1",
    "q_median",
    "q_rz",
    "q_lag2",
    "q_diff1",
  ]);
  assert.deepEqual(out.sensors, ["P", "P", "P", "P", "Q", "Q", "Q", "Q"]);
  assert.equal(out.rows, 50);
  assert.deepEqual(Array.from(out.timestamps), Array.from(f.timestamps));
  assert.equal(out.values[2 * 50 + 5], f.values[3], "lag 2");
});

Deno.test("rolling lookback covers the window, lags and diffs", () => {
  assert.deepEqual(create({ window_rows: 16 }).lookback, { rows: 15, ms: 0 });
  assert.deepEqual(create({ window_rows: 4, lags: [10] }).lookback, { rows: 10, ms: 0 });
  assert.deepEqual(create({ window_s: 30, diffs: [3] }).lookback, { rows: 3, ms: 30_000 });
});

Deno.test("rolling transform(concat(a, b)) on b's rows equals the engine's carried computation (row window)", () => {
  assertChunkEquivalence({ window_rows: 16, lags: [1, 3], diffs: [2] });
});

Deno.test("rolling transform(concat(a, b)) on b's rows equals the carried computation (time window)", () => {
  assertChunkEquivalence({ window_s: 20 });
});

Deno.test("rolling features of the FD_FAN sample are finite wherever the window has data", async () => {
  const dir = new URL("../../../../shared/acm_data/", import.meta.url).pathname;
  const train = (await readCsvFile(dir + "FD_FAN_BASELINE_DATA.csv")).frame;
  const out = create({ window_rows: 16 }).transform(train);
  assert.equal(out.columns.length, train.columns.length * 8);
  let nonFinite = 0;
  for (let j = 0; j < out.columns.length; j++) {
    const src = Math.floor(j / 8);
    for (let i = 0; i < out.rows; i++) {
      const v = out.values[j * out.rows + i];
      if (!Number.isFinite(v) && Number.isFinite(train.values[src * train.rows + i])) nonFinite++;
    }
  }
  assert.equal(nonFinite, 0);
});
