import assert from "node:assert/strict";
import { chartFrame } from "../../../core/report/chart_frame.ts";
import {
  axisTitle,
  limitLabels,
  limitLines,
  limitValues,
  sensorTitle,
  sharedPrefix,
  withoutPrefix,
} from "../../../core/report/sensor_labels.ts";

Deno.test("sensorTitle() and axisTitle() use what the metadata gives and leave out the rest", () => {
  assert.equal(sensorTitle("T1", undefined), "T1");
  assert.equal(sensorTitle("T1", { unit: "°C" }), "T1 — (°C)");
  assert.equal(sensorTitle("T1", { unit: "°C", description: "Bearing" }), "T1 — Bearing (°C)");
  assert.equal(axisTitle(undefined), "value");
  assert.equal(axisTitle({ unit: "A" }), "value [A]");
  assert.equal(axisTitle({ unit: "A", description: "Motor current" }), "Motor current [A]");
  assert.equal(axisTitle({ description: "Motor current" }), "Motor current");
  // Too long for the axis: the unit stays.
  assert.equal(axisTitle({ unit: "A", description: "Motor current" }, "value", 12), "value [A]");
});

Deno.test("limitLines() draws a dashed line per limit inside the chart; limitLabels() labels them with the unit", () => {
  const f = chartFrame({ width: 400, height: 100, t0: 0, t1: 1, y0: 0, y1: 100 });
  const info = { unit: "°C", limits: { low: 10, high: 80 } };
  assert.deepEqual(limitValues(info), [10, 80]);
  assert.equal((limitLines(f, info).match(/class="threshold limit"/g) ?? []).length, 2);
  assert.match(limitLabels(f, info), /low limit 10 °C.*high limit 80 °C/);
  // A limit outside the value range is not drawn (the callers widen the range to include it).
  assert.equal(limitLines(f, { limits: { high: 200 } }), "");
  assert.equal(limitLines(f, undefined) + limitLabels(f, {}), "");
});

Deno.test("sharedPrefix() is the common prefix up to a separator that leaves every name something", () => {
  assert.equal(
    sharedPrefix([
      "DEMO.SIM.06G31_1FD Fan Damper Position",
      "DEMO.SIM.06I03_1FD Fan Motor Current",
      "DEMO.SIM.FSAA_1FD Fan Air Flow",
    ]),
    "DEMO.SIM.",
  );
  assert.equal(sharedPrefix(["B1RADVIBX", "B1RADVIBY"]), "", "no separator in the shared part");
  assert.equal(sharedPrefix(["pump_a_flow", "pump_a_temp", "pump_b_flow"]), "pump_");
  assert.equal(sharedPrefix(["A.", "A.b"]), "", "a name would be left empty");
  assert.equal(sharedPrefix(["DEMO.SIM.x"]), "", "one name");
  assert.equal(sharedPrefix([]), "");
  assert.equal(withoutPrefix("DEMO.SIM.06G31", "DEMO.SIM."), "06G31");
  assert.equal(withoutPrefix("OTHER", "DEMO.SIM."), "OTHER");
});
