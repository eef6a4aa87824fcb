import assert from "node:assert/strict";
import { addConditionModelOutputs } from "../../_helpers/condition_outputs.ts";
import { readAssetOutputs } from "../../../core/report/read_outputs.ts";
import { renderAssetReport } from "../../../core/report/asset_report.ts";
import { sensorOrder } from "../../../core/report/sensor_browser.ts";
import { tempDir, writeFakeAsset } from "../../_helpers/scored_chunk.ts";

Deno.test("renderAssetReport() shows every sensor with actual, expected and residual from expected.csv", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${dir}/FD_FAN`);
    const names = await addConditionModelOutputs(`${dir}/FD_FAN`);
    const o = await readAssetOutputs(`${dir}/FD_FAN`);
    assert.deepEqual(Object.keys(o.expected!.expected).sort(), [...names].sort());
    assert.equal(o.envelope.reduce((a, b) => a + b, 0), 40);
    const html = renderAssetReport(o);
    const panels = [
      ...html.matchAll(/<details class="sensor" id="sensor-\d+" data-sensor="([^"]+)"/g),
    ];
    assert.equal(panels.length, names.length, "one panel per sensor, not only culprits");
    assert.equal((html.match(/class="series expected"/g) ?? []).length, names.length);
    assert.equal((html.match(/class="chart residual-chart"/g) ?? []).length, names.length);
    assert.match(html, /expected: condition model \(expected\.csv\)/);
    assert.match(html, /40 rows in 1 period\(s\) outside the operating envelope/);
    assert.match(html, /10 rows in 1 transient period/);
    assert.match(html, /<rect class="held envelope"/);
    assert.match(html, /mean shift up/);
    assert.match(html, /<th>case<\/th>/);
    assert.doesNotMatch(html, /NaN/);
  } finally {
    await cleanup();
  }
});

Deno.test("renderAssetReport() falls back to the training median and band without expected.csv", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${dir}/FD_FAN`);
    const o = await readAssetOutputs(`${dir}/FD_FAN`);
    assert.equal(o.expected, null);
    assert.equal(o.envelope.length, o.t.length, "absent envelope column reads as all 0");
    assert.equal(o.envelope.some((v) => v === 1), false);
    const html = renderAssetReport(o);
    assert.match(html, /expected: training median \(no expected\.csv\); band: training p01–p99/);
    assert.doesNotMatch(html, /class="held/);
  } finally {
    await cleanup();
  }
});

Deno.test("sensorOrder() lists sensors by culprit share over the episodes, then in file order", () => {
  const ep = (c: { sensor: string; pct: number }[]) => ({
    episode_id: 1,
    start: "",
    end: "",
    duration_s: 0,
    peak_z: 0,
    mean_z: 0,
    severity: "info" as const,
    detector: "",
    culprits: c,
    regime: 0,
    open: false,
  });
  assert.deepEqual(
    sensorOrder(["A", "B", "C", "D"], [
      ep([{ sensor: "C", pct: 60 }]),
      ep([{ sensor: "B", pct: 70 }]),
    ]),
    ["B", "C", "A", "D"],
  );
});

Deno.test("renderAssetReport() shows units and descriptions from the sensor metadata and draws limits on that sensor's chart", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${dir}/FD_FAN`);
    await addConditionModelOutputs(`${dir}/FD_FAN`);
    const bearing = "DEMO.SIM.06T32-1_1FD Fan Bearing Temperature";
    const current = "DEMO.SIM.06I03_1FD Fan Motor Current";
    await Deno.writeTextFile(
      `${dir}/FD_FAN/sensor_metadata.json`,
      JSON.stringify({
        sensors: {
          [bearing]: { unit: "°C", description: "Fan bearing temperature", limits: { high: 80 } },
          [current]: { unit: "A", description: "Motor current" },
        },
      }),
    );
    const o = await readAssetOutputs(`${dir}/FD_FAN`);
    const html = renderAssetReport(o);
    const panel = (name: string) => {
      const at = html.indexOf(`data-sensor="${name}"`);
      return html.slice(at, html.indexOf("</details>", at));
    };
    const b = panel(bearing);
    // Too long for the axis height: the unit stays, the description is in the panel's title.
    assert.match(b, /<text class="axis-title"[^>]*>value \[°C\]<\/text>/);
    assert.match(b, /residual \[°C\]/);
    assert.equal((b.match(/class="threshold limit"/g) ?? []).length, 1);
    assert.match(b, /high limit 80 °C/);
    const c = panel(current);
    assert.match(c, /<text class="axis-title"[^>]*>Motor current \[A\]<\/text>/);
    assert.doesNotMatch(c, /class="threshold limit"/);
    // Selector and culprit table.
    assert.match(
      html,
      new RegExp(
        `<option value="${bearing}">${bearing} — Fan bearing temperature \\(°C\\)</option>`,
      ),
    );
    assert.match(
      html,
      /<span class="name" title="[^"]*Bearing Temperature — Fan bearing temperature \(°C\)">[^<]*<small>Fan bearing temperature \(°C\)<\/small>/,
    );
    // The culprit trace of an episode of the bearing carries the limit too.
    const traces = html.slice(html.indexOf('id="traces"'), html.indexOf('id="explore"'));
    assert.match(traces, /class="threshold limit"/);
  } finally {
    await cleanup();
  }
});
