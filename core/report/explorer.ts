/**
 * The report's interactive explorer: fused z and any sensor's actual vs
 * expected in one zoomable uPlot chart (npm:uplot, MIT, inlined from
 * vendor/uplot_dist.ts; no network). The data is a JSON block of at most
 * ~2 × MAX_BUCKETS rows chosen by min/max of the fused z per time bucket, with a
 * null row inserted over every data gap so the lines break there. Expected
 * values come from expected.csv, else the training median (sensor_browser.ts).
 */
import { drawnGapLimit, minMaxDownsample } from "./downsample.ts";
import { EXPLORER_JS } from "./explorer_script.ts";
import type { AssetOutputs } from "./read_outputs.ts";
import { sensorOrder } from "./sensor_browser.ts";
import { esc } from "./svg.ts";
import { lookupRows } from "./align.ts";
import { sensorTitle } from "./sensor_labels.ts";
import type { SensorInfo } from "../sensor_metadata/load.ts";
import { UPLOT_CSS, UPLOT_JS, UPLOT_VERSION } from "./vendor/uplot_dist.ts";

const MAX_BUCKETS = 1500;

/** Indices of the rows kept: the min and max fused z per bucket (all rows when short). */
function keptRows(t: Float64Array, fused: Float64Array): number[] {
  const d = minMaxDownsample(t, fused, MAX_BUCKETS);
  if (d.x.length === t.length) return Array.from(t, (_, i) => i);
  const out: number[] = [];
  let j = 0;
  for (const x of d.x) {
    while (j < t.length && t[j] < x) j++;
    if (j < t.length) out.push(j);
  }
  // The first and last rows are always kept, so the explorer spans the whole period.
  return [...new Set([0, ...out, t.length - 1])].sort((a, b) => a - b);
}

const num = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null);

/** The explorer's data: time in seconds, fused z, and per sensor actual/expected on the same rows. */
export function explorerData(o: AssetOutputs) {
  const rows = keptRows(o.t, o.fused);
  const rowGap = drawnGapLimit(o.t, MAX_BUCKETS, gapOf(o.t));
  const t: number[] = [], fused: (number | null)[] = [];
  const at: number[] = []; // row index per point, -1 for a gap marker
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (k > 0 && o.t[i] - o.t[rows[k - 1]] > rowGap) {
      t.push((o.t[rows[k - 1]] + 1) / 1000);
      fused.push(null);
      at.push(-1);
    }
    t.push(o.t[i] / 1000);
    fused.push(num(o.fused[i]));
    at.push(i);
  }
  const sensors: Record<string, {
    actual: (number | null)[];
    expected: (number | null)[];
    info?: SensorInfo;
  }> = {};
  const s = o.sensors;
  if (s) {
    // Row of sensors.csv / expected.csv per point: matched once, used by every sensor.
    const sRow = lookupRows(o.t, at, s.t);
    const eRow = o.expected ? lookupRows(o.t, at, o.expected.t) : null;
    for (const name of s.columns) {
      const ex = o.expected?.expected[name];
      const median = o.trainRanges[name]?.[1];
      const values = s.values[name];
      const actual: (number | null)[] = [], expected: (number | null)[] = [];
      const fill = median === undefined ? null : num(median);
      for (let k = 0; k < at.length; k++) {
        const j = sRow[k];
        actual.push(j < 0 ? null : num(values[j]));
        if (at[k] < 0) expected.push(null);
        else if (ex) expected.push(eRow![k] < 0 ? null : num(ex[eRow![k]]));
        else expected.push(fill);
      }
      sensors[name] = {
        actual,
        expected,
        ...(o.sensorInfo[name] ? { info: o.sensorInfo[name] } : {}),
      };
    }
  }
  return { t, fused, sensors };
}

function gapOf(t: Float64Array): number {
  if (t.length < 3) return Infinity;
  const steps = Float64Array.from({ length: t.length - 1 }, (_, i) => t[i + 1] - t[i]).sort();
  return Math.max(1, steps[steps.length >> 1]) * 5;
}

/** The explorer section and the scripts it needs ("" and [] when there is nothing to draw). */
export function explorerSection(o: AssetOutputs): { html: string; scripts: string[]; css: string } {
  if (o.t.length < 2) return { html: "", scripts: [], css: "" };
  const data = explorerData(o);
  const order = o.sensors ? sensorOrder(o.sensors.columns, o.episodes) : [];
  const options = order.map((n) =>
    `<option value="${esc(n)}">${esc(sensorTitle(n, o.sensorInfo[n]))}</option>`
  ).join("");
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  const html = `<section class="card" id="explore"><h2>Explore</h2>
<p class="note">Drag across the chart to zoom in, mouse wheel to zoom around the cursor; Shift-drag or middle-button drag, ◀ ▶ or the arrow keys to pan; double-click or “reset” to see everything. The legend reads the values under the cursor; purple dashed lines are the sensor's limits (sensor metadata). Time in UTC. Chart: uPlot ${UPLOT_VERSION} (MIT), inlined.</p>
<div class="explore-bar"><label>sensor <select id="explore-sensor">${options}</select></label>
<button type="button" id="explore-left">◀</button><button type="button" id="explore-right">▶</button><button type="button" id="explore-reset">reset</button>
<span class="muted" id="explore-range"></span></div>
<div id="explore-chart"></div>
<script type="application/json" id="acm-explore-data">${json}</script></section>`;
  return { html, scripts: [UPLOT_JS, EXPLORER_JS], css: UPLOT_CSS };
}
