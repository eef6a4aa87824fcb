/**
 * The browser code of the report's explorer (inlined, hashed in the CSP): an
 * uPlot chart of the fused z (right axis) and one chosen sensor's actual and
 * expected values (left axis) on a shared time axis. Drag to zoom in, double-
 * click to reset, mouse wheel to zoom around the cursor, the ◀ ▶ buttons (or
 * the arrow keys on the chart) to pan; the legend reads the values under the
 * cursor. Data comes from the JSON block #acm-explore-data.
 */
export const EXPLORER_JS = `(() => {
  const box = document.getElementById("explore-chart");
  const data = JSON.parse(document.getElementById("acm-explore-data").textContent);
  const pick = document.getElementById("explore-sensor");
  const range = document.getElementById("explore-range");
  const fmtT = (s) => new Date(s * 1000).toISOString().slice(0, 16).replace("T", " ");
  const cols = (name) => {
    const s = data.sensors[name] || { actual: [], expected: [] };
    return [data.t, data.fused, s.actual, s.expected];
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
      { label: pick.value || "actual", scale: "v", stroke: "#000000", width: 1.2 },
      { label: "expected", scale: "v", stroke: "#56B4E9", width: 1.6, dash: [6, 4] },
    ],
    axes: [
      {},
      { scale: "v", label: "sensor value" },
      { scale: "z", side: 1, label: "fused z", grid: { show: false } },
    ],
    hooks: { setScale: [(u, key) => { if (key === "x") showRange(u); }] },
  };
  const u = new uPlot(opts, cols(pick.value), box);
  showRange(u);
  pick.addEventListener("change", () => {
    // Rescale the value axis to the new sensor but keep the visible time range.
    const x = { min: u.scales.x.min, max: u.scales.x.max };
    u.setData(cols(pick.value), true);
    u.setScale("x", x);
    u.series[2].label = pick.value;
    const label = u.root.querySelectorAll(".u-legend .u-series")[2]?.querySelector(".u-label");
    if (label) label.textContent = pick.value;
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
  u.over.addEventListener("wheel", (e) => {
    e.preventDefault();
    const x = u.posToVal(e.offsetX, "x");
    const k = e.deltaY < 0 ? 0.8 : 1.25;
    zoomTo(x - (x - u.scales.x.min) * k, x + (u.scales.x.max - x) * k);
  }, { passive: false });
  addEventListener("resize", () => u.setSize({ width: Math.max(320, box.clientWidth), height: 320 }));
})();`;
