/**
 * The browser code of the report's explorer (inlined, hashed in the CSP): an
 * uPlot chart of the fused z (right axis) and one chosen sensor's actual and
 * expected values (left axis, titled with its description and unit, its limits
 * as dashed lines) on a shared time axis. Drag to zoom in, double-click to
 * reset, mouse wheel to zoom around the cursor; Shift-drag or middle-button
 * drag, the ◀ ▶ buttons or the arrow keys on the chart to pan; the legend
 * reads the values under the cursor (with the unit). Data comes from the JSON
 * block #acm-explore-data.
 */
export const EXPLORER_JS = `(() => {
  const box = document.getElementById("explore-chart");
  const data = JSON.parse(document.getElementById("acm-explore-data").textContent);
  const pick = document.getElementById("explore-sensor");
  const range = document.getElementById("explore-range");
  const fmtT = (s) => new Date(s * 1000).toISOString().slice(0, 16).replace("T", " ");
  const info = (name) => (data.sensors[name] && data.sensors[name].info) || {};
  const limit = (name, key) => {
    const v = (info(name).limits || {})[key];
    return typeof v === "number" ? v : null;
  };
  const cols = (name) => {
    const s = data.sensors[name] || { actual: [], expected: [] };
    const lo = limit(name, "low"), hi = limit(name, "high");
    return [data.t, data.fused, s.actual, s.expected, data.t.map(() => lo), data.t.map(() => hi)];
  };
  const axisLabel = () => {
    const i = info(pick.value);
    const what = i.description || pick.value || "sensor value";
    return i.unit ? what + " [" + i.unit + "]" : what;
  };
  const withUnit = (u, v) => {
    if (v == null) return "–";
    const unit = info(pick.value).unit;
    return (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4)) + (unit ? " " + unit : "");
  };
  const showRange = (u) => {
    const a = u.scales.x.min, b = u.scales.x.max;
    range.textContent = fmtT(a) + " → " + fmtT(b) + " UTC";
    box.dataset.min = String(a);
    box.dataset.max = String(b);
  };
  const opts = {
    width: Math.max(320, box.clientWidth),
    height: 320,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: true }, z: { auto: true }, v: { auto: true } },
    series: [
      { value: (u, v) => (v == null ? "–" : fmtT(v)) },
      { label: "fused z", scale: "z", stroke: "#0072B2", width: 1.2 },
      { label: pick.value || "actual", scale: "v", stroke: "#000000", width: 1.2, value: withUnit },
      { label: "expected", scale: "v", stroke: "#56B4E9", width: 1.6, dash: [6, 4], value: withUnit },
      { label: "low limit", scale: "v", stroke: "#CC79A7", width: 1.2, dash: [3, 3], value: withUnit },
      { label: "high limit", scale: "v", stroke: "#CC79A7", width: 1.2, dash: [3, 3], value: withUnit },
    ],
    axes: [
      {},
      { scale: "v", label: axisLabel },
      { scale: "z", side: 1, label: "fused z", grid: { show: false } },
    ],
    hooks: { setScale: [(u, key) => { if (key === "x") showRange(u); }] },
  };
  const u = new uPlot(opts, cols(pick.value), box);
  // Limit series only for a sensor that has that limit.
  const showLimits = () => {
    u.setSeries(4, { show: limit(pick.value, "low") !== null });
    u.setSeries(5, { show: limit(pick.value, "high") !== null });
  };
  showLimits();
  showRange(u);
  pick.addEventListener("change", () => {
    // Rescale the value axis to the new sensor but keep the visible time range.
    const x = { min: u.scales.x.min, max: u.scales.x.max };
    u.setData(cols(pick.value), true);
    u.setScale("x", x);
    u.series[2].label = pick.value;
    const label = u.root.querySelectorAll(".u-legend .u-series")[2]?.querySelector(".u-label");
    if (label) label.textContent = pick.value;
    showLimits();
    box.dataset.sensor = pick.value;
  });
  box.dataset.sensor = pick.value;
  const full = () => [data.t[0], data.t[data.t.length - 1]];
  const zoomTo = (a, b) => {
    const [lo, hi] = full();
    const w = Math.min(b - a, hi - lo);
    a = Math.max(lo, Math.min(a, hi - w));
    u.setScale("x", { min: a, max: a + w });
  };
  const pan = (dir) => {
    const w = u.scales.x.max - u.scales.x.min;
    zoomTo(u.scales.x.min + dir * w * 0.25, u.scales.x.max + dir * w * 0.25);
  };
  document.getElementById("explore-left").addEventListener("click", () => pan(-1));
  document.getElementById("explore-right").addEventListener("click", () => pan(1));
  document.getElementById("explore-reset").addEventListener("click", () => zoomTo(...full()));
  u.over.addEventListener("dblclick", () => zoomTo(...full()));
  u.over.tabIndex = 0;
  u.over.addEventListener("keydown", (e) => {
    if (e.key === "ArrowLeft") pan(-1);
    if (e.key === "ArrowRight") pan(1);
  });
  // Pan by dragging with Shift held or with the middle button. The listener sits on the
  // chart's root in the capture phase, so uPlot's own drag-to-zoom never sees these drags.
  let panFrom = null;
  u.root.addEventListener("mousedown", (e) => {
    if (!u.over.contains(e.target) || !(e.shiftKey || e.button === 1)) return;
    e.preventDefault();
    e.stopPropagation();
    panFrom = { x: e.clientX, min: u.scales.x.min, max: u.scales.x.max };
    box.dataset.panning = "1";
  }, true);
  addEventListener("mousemove", (e) => {
    if (!panFrom) return;
    const dt = ((e.clientX - panFrom.x) / u.over.clientWidth) * (panFrom.max - panFrom.min);
    zoomTo(panFrom.min - dt, panFrom.max - dt);
  });
  addEventListener("mouseup", () => {
    panFrom = null;
    delete box.dataset.panning;
  });
  u.over.addEventListener("auxclick", (e) => e.preventDefault());
  u.over.addEventListener("wheel", (e) => {
    e.preventDefault();
    const x = u.posToVal(e.offsetX, "x");
    const k = e.deltaY < 0 ? 0.8 : 1.25;
    zoomTo(x - (x - u.scales.x.min) * k, x + (u.scales.x.max - x) * k);
  }, { passive: false });
  addEventListener("resize", () => u.setSize({ width: Math.max(320, box.clientWidth), height: 320 }));
})();`;
