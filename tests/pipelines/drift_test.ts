/**
 * Accuracy guard of pipelines/drift.yaml (the default plus an OMR head on 1-hour
 * rolling means): on the synthetic demo fleet it must find the slow faults the
 * default misses without false episodes, and on the real FD_FAN chunks (skipped
 * when the ACM sample data is absent) flag the 2012-09-29/30 period where the
 * right inlet flow reads below the left one, naming an inlet flow first.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadPipeline } from "../../core/pipeline/load.ts";
import { ACM_DATA, benchDemo, benchFdFan, hasAcmData } from "../../bench/acm_accuracy.ts";

const DRIFT = fileURLToPath(new URL("../../pipelines/drift.yaml", import.meta.url));

Deno.test("pipelines/drift.yaml finds ≥ 5 of the 6 demo faults, decoupling and the turbine bias included, with no false episode", async () => {
  const { report } = await benchDemo(await loadPipeline(DRIFT));
  assert.ok(report.found >= 5, `${report.found}/${report.total} faults found`);
  const found = (asset: string, kind: string) =>
    report.matches.some((m) => m.fault.asset === asset && m.fault.kind === kind && m.detected);
  assert.ok(found("FAN_B", "decoupling"), "FAN_B current–power decoupling missed");
  assert.ok(found("TURBINE_C", "sensor_bias"), "TURBINE_C pressure transmitter bias missed");
  assert.equal(report.falseAlarms.length, 0);
});

Deno.test({
  name: "pipelines/drift.yaml flags FD_FAN's 2012-09-29 right/left inlet flow split",
  ignore: !(await hasAcmData()),
  async fn() {
    const { run } = await benchFdFan(await loadPipeline(DRIFT), ACM_DATA);
    const day = Date.UTC(2012, 8, 29), next = Date.UTC(2012, 9, 1);
    const hit = run.episodes.find((e) => e.start < next && e.end > day);
    assert.ok(hit, "no episode over 2012-09-29/30");
    assert.match(hit.culprits[0].sensor, /Inlet Flow/);
  },
});
