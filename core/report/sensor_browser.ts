/**
 * "Every sensor": one collapsible panel per stored sensor (not only the
 * culprits), actual against expected with the residual below, on the full time
 * axis with episodes and held periods shaded. Works without scripts (HTML
 * <details>), so the report keeps its no-script CSP.
 *
 * Expected value, in order of preference:
 *   1. expected.csv (`<sensor>_expected`, `<sensor>_residual`), written when a
 *      detector head exports traces (the condition model);
 *   2. fallback: the training median of the model's train ranges, with the
 *      p01–p99 band shaded; the residual is then actual − training median.
 * Sensors are listed by their share in the episodes' culprits (largest first),
 * then in file order.
 */
import type { EpisodeRecord } from "../io/records.ts";
import {
  type ChartFrame,
  chartFrame,
  episodeShading,
  svgOpen,
  timeAxis,
  valueAxis,
} from "./chart_frame.ts";
import { drawnPath, seriesPath, type TimeGrid, timeGrid } from "./charts.ts";
import { minMaxDownsample } from "./downsample.ts";
import { gather, isIdentity, mergeIndex } from "./align.ts";
import { type FlagRun, heldShading } from "./held_shading.ts";
import { OKABE_ITO } from "./palette.ts";
import type { AssetOutputs } from "./read_outputs.ts";
import { esc, fmt, px } from "./svg.ts";
import {
  axisTitle,
  limitLabels,
  limitLines,
  limitValues,
  sensorTitle,
  titleChars,
} from "./sensor_labels.ts";

const WIDTH = 1100;
/** Left margin of every panel (the right one is chartFrame's default, 14). */
const LEFT = 64;

function extent(...ys: (Float64Array | undefined)[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const y of ys) {
    if (!y) continue;
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** The order sensors are listed in: culprit share over all episodes, then file order. */
export function sensorOrder(
  columns: readonly string[],
  episodes: readonly EpisodeRecord[],
): string[] {
  const share = new Map<string, number>();
  for (const e of episodes) {
    for (const c of e.culprits) share.set(c.sensor, (share.get(c.sensor) ?? 0) + c.pct);
  }
  return columns.map((c, i) => ({ c, i, s: share.get(c) ?? 0 }))
    .sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.c);
}

interface Held {
  envelope: FlagRun[];
  transient: FlagRun[];
}

/** What every panel shares: computed once per report, not once per sensor. */
interface Shared {
  /** Row of expected.csv per sensors.csv row (mergeIndex), when expected.csv is there. */
  exRow: Int32Array | null;
  /** Whether that match is row for row (then the columns are drawn as they are, not copied). */
  exSame: boolean | null;
  grid: TimeGrid;
  /** Shading and time axis markup by frame geometry (they do not depend on the values). */
  memo: Map<string, string>;
}

function memo(shared: Shared, f: ChartFrame, what: string, make: () => string): string {
  const key = `${what} ${f.t0} ${f.t1} ${f.left} ${f.right} ${f.top} ${f.bottom} ${f.width}`;
  let s = shared.memo.get(key);
  if (s === undefined) shared.memo.set(key, s = make());
  return s;
}

function sensorPanel(
  o: AssetOutputs,
  name: string,
  index: number,
  held: Held,
  open: boolean,
  shared: Shared,
): string {
  const s = o.sensors!;
  const t = s.t;
  const y = s.values[name];
  const ex = o.expected;
  let expected: Float64Array | undefined, residual: Float64Array;
  let source: string;
  const range = o.trainRanges[name];
  const info = o.sensorInfo[name];
  if (ex && ex.expected[name]) {
    const exRow = shared.exRow ??= mergeIndex(t, ex.t);
    const same = shared.exSame ??= isIdentity(exRow, ex.t.length);
    expected = gather(exRow, ex.expected[name], same);
    residual = ex.residual[name]
      ? gather(exRow, ex.residual[name], same)
      : Float64Array.from(y, (v, i) => v - expected![i]);
    source = "expected: condition model (expected.csv)";
  } else if (range && Number.isFinite(range[1])) {
    expected = new Float64Array(t.length).fill(range[1]);
    residual = Float64Array.from(y, (v) => v - range[1]);
    source = "expected: training median (no expected.csv); band: training p01–p99";
  } else {
    residual = new Float64Array(t.length).fill(NaN);
    source = "no expected value (no expected.csv and no training range)";
  }
  // Each series min/max downsampled once, for its path and its extent: every
  // bucket keeps the first of its lowest and of its highest values, so the
  // kept points have the series' own extent (the same values, ±0 included).
  const grid = shared.grid;
  const whole = y.length === t.length && (!expected || expected.length === t.length) &&
    residual.length === t.length;
  const down = (v: Float64Array) => minMaxDownsample(t, v, grid.buckets, grid.ends);
  const dy = whole ? down(y) : null, de = whole && expected ? down(expected) : null;
  const dr = whole ? down(residual) : null;
  const [lo, hi] = extent(
    dy ? dy.y : y,
    de ? de.y : expected,
    range ? Float64Array.from([range[0], range[2]]) : undefined,
    Float64Array.from(limitValues(info)),
  );
  const pad = (hi - lo) * 0.06 || 1;
  const f = chartFrame({
    width: WIDTH,
    height: 190,
    t0: t[0],
    t1: t[t.length - 1],
    y0: lo - pad,
    y1: hi + pad,
  }, {
    left: LEFT,
  });
  const band =
    !ex?.expected[name] && range && Number.isFinite(range[0]) && Number.isFinite(range[2])
      ? `<rect class="train-band" x="${f.left}" width="${f.right - f.left}" y="${
        px(f.sy(range[2]))
      }" height="${px(Math.max(1, f.sy(range[0]) - f.sy(range[2])))}"/>`
      : "";
  const shade = (g: typeof f) =>
    memo(
      shared,
      g,
      "shade",
      () =>
        heldShading(g, held.envelope, "envelope") + heldShading(g, held.transient, "transient") +
        episodeShading(g, o.episodes),
    );
  const axis = (g: typeof f) => memo(shared, g, "time", () => timeAxis(g));
  const [rlo, rhi] = extent(dr ? dr.y : residual);
  const rm = Math.max(Math.abs(rlo), Math.abs(rhi)) || 1;
  const g = chartFrame({
    width: WIDTH,
    height: 96,
    t0: t[0],
    t1: t[t.length - 1],
    y0: -rm * 1.05,
    y1: rm * 1.05,
  }, {
    left: LEFT,
    top: 6,
  });
  const zero = `<line class="axis" x1="${g.left}" x2="${g.right}" y1="${px(g.sy(0))}" y2="${
    px(g.sy(0))
  }"/>`;
  const main = svgOpen(f, `Sensor ${name}: actual and expected`, "chart sensor-chart") + band +
    shade(f) +
    valueAxis(f, 4, axisTitle(info, "value", titleChars(f.bottom - f.top))) + axis(f) +
    limitLines(f, info) +
    (expected
      ? `<path class="series expected" d="${
        de ? drawnPath(de, f, grid) : seriesPath(t, expected, f, grid)
      }" stroke="${OKABE_ITO.skyBlue}"/>`
      : "") +
    `<path class="series actual" d="${
      dy ? drawnPath(dy, f, grid) : seriesPath(t, y, f, grid)
    }" stroke="${OKABE_ITO.black}"/>` +
    limitLabels(f, info) + `</svg>`;
  const res = svgOpen(g, `Sensor ${name}: residual`, "chart residual-chart") + shade(g) +
    valueAxis(g, 2, info?.unit ? `residual [${info.unit}]` : "residual") + axis(g) + zero +
    `<path class="series thin" d="${
      dr ? drawnPath(dr, g, grid) : seriesPath(t, residual, g, grid)
    }" stroke="${OKABE_ITO.vermillion}"/></svg>`;
  return `<details class="sensor" id="sensor-${index}" data-sensor="${esc(name)}"${
    open ? " open" : ""
  }><summary><b>${esc(name)}</b>${
    info?.description || info?.unit
      ? ` <span class="sensor-desc">${esc(sensorTitle("", info).replace(/^ — /, ""))}</span>`
      : ""
  } <span class="muted">max |residual| ${fmt(rm, 3)}${info?.unit ? ` ${esc(info.unit)}` : ""} · ${
    esc(source)
  }</span></summary>${main}${res}</details>`;
}

/** The "every sensor" section ("" when sensors.csv is absent). */
export function sensorBrowser(o: AssetOutputs, held: Held): string {
  if (!o.sensors || o.sensors.t.length === 0) return "";
  const order = sensorOrder(o.sensors.columns, o.episodes);
  const list = order.map((n, i) =>
    `<a href="#sensor-${i}" title="${esc(sensorTitle(n, o.sensorInfo[n]))}">${esc(n)}</a>`
  ).join(" · ");
  const shared: Shared = {
    exRow: null,
    exSame: null,
    grid: timeGrid(o.sensors.t, Math.round(WIDTH - 14 - LEFT)),
    memo: new Map(),
  };
  const panels = order.map((n, i) => sensorPanel(o, n, i, held, i === 0, shared)).join("");
  return `<section class="card" id="sensors"><h2>Every sensor: actual vs expected</h2>
<p class="note">Click a sensor to open it. Black: actual; light blue: expected; red (below): residual = actual − expected. Shaded: episodes by severity; grey: outside the operating envelope (alarms held); hatched: transients; purple dashed: the sensor's limits from the sensor metadata file. Listed by share in the episodes' culprits.</p>
<p class="sensor-list">${list}</p>${panels}</section>`;
}
