/**
 * The HTML shell shared by the asset report and the fleet index: inline CSS,
 * a Content-Security-Policy that forbids every network request; inline scripts
 * run only when listed by hash.
 */
import { createHash } from "node:crypto";
import { esc } from "./svg.ts";

const CSS = `
:root { --ink:#1d2329; --muted:#5b6670; --line:#dde2e6; --bg:#f6f7f8; --card:#fff; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 0 0 6px; font-weight: 600; }
a { color: #0072B2; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:16px 18px; margin:14px 0; }
.headline { font-size: 18px; font-weight: 600; margin: 8px 0 12px; }
.pill { display:inline-block; padding:1px 9px; border-radius:999px; color:#fff; font-size:12px;
  font-weight:700; letter-spacing:0.04em; vertical-align: 2px; }
.facts { display:flex; flex-wrap:wrap; gap: 6px 26px; color:var(--muted); font-size:13px; }
.facts b { color:var(--ink); font-weight:600; }
.note { color:var(--muted); font-size:13px; margin: 4px 0 0; }
svg.chart { width:100%; height:auto; display:block; }
svg text { font: 11px system-ui, sans-serif; }
.tick { fill:#5b6670; }
.grid { stroke:#eceff1; stroke-width:1; }
.axis { stroke:#9aa4ad; stroke-width:1; }
.series { fill:none; stroke-width:1.4; stroke-linejoin:round; }
.series.thin { stroke-width:1.1; }
.threshold { stroke-dasharray:6 4; stroke-width:1.3; }
.th-label, .ep-label, .zone { font-weight:600; paint-order:stroke; stroke:#fff; stroke-width:3px; stroke-linejoin:round; }
.axis-title { fill:#5b6670; font-size:11px; }
.train-band { fill:#56B4E9; fill-opacity:0.22; }
.train-median { stroke:#0072B2; stroke-dasharray:4 3; stroke-width:1; }
.strip { position:relative; }
.strip-label { position:absolute; left:60px; top:2px; font-size:12px; color:var(--muted);
  background:rgba(255,255,255,0.85); padding:0 4px; }
.strip-label span { margin-left:8px; }
.legend { display:flex; gap:16px; flex-wrap:wrap; font-size:12px; color:var(--muted); margin-top:4px; }
.key i { display:inline-block; width:11px; height:11px; border-radius:2px; margin-right:5px; vertical-align:-1px; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th { text-align:left; color:var(--muted); font-weight:600; border-bottom:1px solid var(--line); padding:6px 8px; }
td { border-bottom:1px solid #eef1f3; padding:6px 8px; vertical-align:top; }
td.num { text-align:right; font-variant-numeric: tabular-nums; white-space:nowrap; }
tr.open td { background:#fff8ec; }
.culprit { display:grid; grid-template-columns: minmax(120px, 300px) 64px 44px; gap:6px; align-items:center; }
.outside { max-width:150px; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; font-size:12px; }
.culprit .name { overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.culprit .name small { display:block; overflow:hidden; text-overflow:ellipsis; color:var(--muted); font-size:11px; }
.sensor-desc { color:var(--ink); font-size:13px; }
.limit { stroke-dasharray:3 3; }
.bar { height:9px; background:#eceff1; border-radius:5px; overflow:hidden; }
.bar i { display:block; height:100%; background:#0072B2; }
.traces { display:grid; grid-template-columns: 1fr 1fr; gap: 8px 18px; }
.muted { color:var(--muted); }
.nowrap { white-space:nowrap; }
footer { color:var(--muted); font-size:12px; margin-top:24px; }
.explore-bar { display:flex; flex-wrap:wrap; gap:8px; align-items:center; font-size:13px; margin:6px 0; }
.explore-bar select { max-width: 420px; }
#explore-chart { width:100%; min-height:330px; }
.card { overflow-x:auto; }
svg.spark { display:block; }
.held.envelope { fill:#7f8c96; fill-opacity:0.22; }
.held.transient { fill:#7f8c96; fill-opacity:0.12; stroke:#7f8c96; stroke-opacity:0.4; stroke-dasharray:2 2; }
details.sensor { border-top:1px solid var(--line); padding:6px 0; }
details.sensor summary { cursor:pointer; font-size:13px; }
.sensor-list { font-size:12px; line-height:1.8; }
.lane { fill:var(--ink); font-size:12px; }
.flag { display:inline-block; margin:2px 4px 0 0; padding:0 6px; border:1px solid #9aa4ad; border-radius:4px;
  font-size:11px; color:var(--muted); white-space:nowrap; }
@media (max-width: 900px) {
  main { padding: 16px 10px 32px; }
  .traces { grid-template-columns: 1fr; }
  .culprit { grid-template-columns: minmax(60px, 150px) 44px 40px; }
  table.episodes .col-regime, table.episodes .col-head { display:none; }
  td, th { padding:5px 5px; }
}
@media print { body { background:#fff; } .card { break-inside: avoid; } }
`;

/** `'sha256-…'` CSP source of an inline script's text. */
export function scriptHash(code: string): string {
  return `'sha256-${createHash("sha256").update(code, "utf8").digest("base64")}'`;
}

/**
 * A complete, self-contained HTML page. The CSP forbids every network request;
 * inline `scripts` (if any) are allowed by their SHA-256 hash only, nothing else runs.
 */
export function page(
  title: string,
  body: string,
  scripts: readonly string[] = [],
  css = "",
): string {
  const scriptSrc = scripts.length ? `; script-src ${scripts.map(scriptHash).join(" ")}` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:${scriptSrc}">
<title>${esc(title)}</title>
<style>${CSS}${css}</style>
</head>
<body>
<main>
${body}
</main>
${scripts.map((c) => `<script>${c}</script>`).join("\n")}
</body>
</html>
`;
}

/** A coloured status pill. */
export function pill(text: string, color: string): string {
  return `<span class="pill" style="background:${color}">${esc(text)}</span>`;
}
