import assert from "node:assert/strict";
import { fitRegimes } from "../../../core/regimes/fit_regimes.ts";
import { assignRegimes } from "../../../core/regimes/assign_regimes.ts";
import type { RegimeCarry } from "../../../core/regimes/smooth.ts";
import type { RegimeModel } from "../../../core/regimes/model.ts";
import type { RegimeOptions } from "../../../core/pipeline/stage_schemas.ts";
import type { StateValue } from "../../../core/plugin.ts";
import { makeFrame, selectByName, sliceRows } from "../../../core/frame.ts";
import { createRng } from "../../../core/rng.ts";
import { decodeState, encodeState } from "../../../core/state_codec.ts";
import { readCsvFile } from "../../../core/source/csv_reader.ts";

const OPTIONS: RegimeOptions = {
  enabled: true,
  sensors: [],
  k_min: 2,
  k_max: 6,
  sample_rows: 2000,
  min_silhouette: 0.35,
  split_min_share: 0,
  min_regime_share: 0,
  min_dwell_rows: 3,
  min_dwell_s: 0,
  unseen_factor: 2,
  transient_s: 0,
  settle_s: 0,
  ramp_z: 0,
  envelope_sd: 3,
  operating_sensor_share: 0,
  envelope_spread_factor: 0,
  ramp_window_s: 600,
};
const DATA = "/work/shared/acm_data/";
const CURRENT = "DEMO.SIM.06I03_1FD Fan Motor Current";
const DAMPER = "DEMO.SIM.06G31_1FD Fan Damper Position";

async function loadFdFan() {
  const base = (await readCsvFile(DATA + "FD_FAN_BASELINE_DATA.csv")).frame;
  const batch = (await readCsvFile(DATA + "FD_FAN_BATCH_DATA.csv")).frame;
  const opts = { ...OPTIONS, sensors: [CURRENT, DAMPER] };
  return { base, batch, opts, model: fitRegimes(base, opts, createRng(17)) };
}
let cached: ReturnType<typeof loadFdFan> | null = null;
/** FD_FAN baseline and batch with a regime model fitted on the baseline (loaded once per file). */
const fdFan = () => (cached ??= loadFdFan());

Deno.test("assignRegimes() flags FD_FAN fan-off rows as unseen, keeping their nearest label", async () => {
  const { batch, opts, model } = await fdFan();
  const { labels, unseen } = assignRegimes(model, batch, opts);
  const cur = batch.columns.indexOf(CURRENT);
  let off = 0, offUnseen = 0, on = 0, onUnseen = 0;
  for (let i = 0; i < batch.rows; i++) {
    assert.ok(labels[i] >= 0 && labels[i] < model.k);
    const running = batch.values[cur * batch.rows + i] >= 1;
    if (running) (on++, onUnseen += unseen[i]);
    else (off++, offUnseen += unseen[i]);
  }
  assert.ok(off > 1000);
  assert.ok(offUnseen / off > 0.95, `fan-off unseen ${offUnseen}/${off}`);
  assert.ok(onUnseen / on < 0.05, `running unseen ${onUnseen}/${on}`);
});

Deno.test("assignRegimes() flags few training rows as unseen (p99 × unseen_factor)", async () => {
  const { base, opts, model } = await fdFan();
  const { unseen } = assignRegimes(model, base, opts);
  const share = unseen.reduce((s, v) => s + v, 0) / base.rows;
  assert.ok(share < 0.01, `training unseen share ${share}`);
});

Deno.test("assignRegimes() over chunks with a carry matches one pass on FD_FAN (≥ 99.9 %)", async () => {
  const { batch, opts, model } = await fdFan();
  const whole = assignRegimes(model, batch, opts).labels;
  const parts: number[] = [];
  let carry: RegimeCarry | undefined;
  for (const [s, e] of [[0, 2247], [2247, 4494], [4494, batch.rows]]) {
    const out = assignRegimes(model, sliceRows(batch, s, e), opts, carry);
    parts.push(...out.labels);
    carry = out.carry;
  }
  let same = 0;
  for (let i = 0; i < batch.rows; i++) if (parts[i] === whole[i]) same++;
  assert.ok(same / batch.rows >= 0.999, `${batch.rows - same} rows differ`);
});

Deno.test("assignRegimes() labels an all-NaN row -1 and imputes a partly missing row", () => {
  const n = 400, rng = createRng(5);
  const values = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const on = i < 200;
    values[i] = (on ? 50 : 5) + rng.normal();
    values[n + i] = (on ? 200 : 20) + rng.normal();
  }
  const ts = Float64Array.from({ length: n }, (_, i) => i * 1000);
  const model = fitRegimes(
    makeFrame({ columns: ["a", "b"], values, timestamps: ts }),
    OPTIONS,
    createRng(1),
  );
  assert.equal(model.k, 2);
  const probe = makeFrame({
    columns: ["a", "b"],
    values: new Float64Array([50, 50, 50, NaN, NaN, 50, 50, 200, 200, 200, NaN, 200, 200, 200]),
    timestamps: Float64Array.from({ length: 7 }, (_, i) => i * 1000),
  });
  const { labels } = assignRegimes(model, probe, { ...OPTIONS, min_dwell_rows: 0 });
  assert.equal(labels[3], -1); // both NaN
  assert.equal(labels[4], labels[0]); // a = NaN → training median of a; b = 200 decides
  assert.ok(labels.every((l, i) => i === 3 || l === labels[0]));
});

Deno.test("assignRegimes() gives the same labels from a model that went through the state codec", async () => {
  const { batch, opts, model } = await fdFan();
  const restored = decodeState(
    encodeState(model as unknown as StateValue),
  ) as unknown as RegimeModel;
  const a = assignRegimes(model, batch, opts), b = assignRegimes(restored, batch, opts);
  assert.deepEqual(b.labels, a.labels);
  assert.deepEqual(b.unseen, a.unseen);
  // Column order of the scored frame does not matter: sensors are found by name.
  const reordered = selectByName(batch, [DAMPER, ...batch.columns.filter((c) => c !== DAMPER)]);
  assert.deepEqual(assignRegimes(model, reordered, opts).labels, a.labels);
});
