/**
 * The data-quality section of the asset report: sensors excluded by the health
 * gate (with the reason) and the data notes of each chunk (gaps, duplicates,
 * dropped columns).
 */
import type { AssetOutputs } from "./read_outputs.ts";
import { formatTimestamp } from "../frame.ts";
import { findGaps } from "./data_gaps.ts";
import { esc, humanDuration, showTime } from "./svg.ts";

function gapSection(t: Float64Array): string {
  const { gaps, total, medianStep } = findGaps(t);
  const step = Number.isFinite(medianStep) ? humanDuration(medianStep / 1000) : "–";
  if (total === 0) {
    return `<p class="muted">No gaps: no step between scored rows is longer than 5 × the usual step (${step}).</p>`;
  }
  const rows = gaps.map((g) =>
    `<tr><td>${esc(showTime(formatTimestamp(g.from)))}</td><td>${
      esc(showTime(formatTimestamp(g.to)))
    }</td><td class="num">${humanDuration((g.to - g.from) / 1000)}</td></tr>`
  ).join("");
  const shown = total > gaps.length ? ` (the ${gaps.length} longest shown)` : "";
  return `<p class="note">${total} gap(s) longer than 5 × the usual step of ${step}${shown}; charts lift the pen over them.</p><table class="gaps"><thead><tr><th>last row before</th><th>first row after</th><th>missing</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Renders excluded sensors and data notes as an HTML section. */
export function renderQuality(o: AssetOutputs): string {
  const excluded = new Map<string, { reason: string; chunks: number }>();
  for (const q of o.quality) {
    for (const h of q.sensorHealth) {
      if (h.status !== "excluded") continue;
      const prev = excluded.get(h.sensor);
      excluded.set(h.sensor, {
        reason: h.reason ?? prev?.reason ?? "",
        chunks: (prev?.chunks ?? 0) + 1,
      });
    }
  }
  const exRows = [...excluded].map(([sensor, v]) =>
    `<tr><td>${esc(sensor)}</td><td>${
      esc(v.reason || "–")
    }</td><td class="num">${v.chunks}</td></tr>`
  ).join("");
  const notes = o.quality.flatMap((q) =>
    q.notes.map((n) =>
      `<tr><td>${esc(q.chunk)}</td><td>${esc(showTime(q.first))}</td><td>${esc(n.kind)}</td><td>${
        esc(n.message)
      }</td><td class="num">${n.count ?? ""}</td></tr>`
    )
  ).join("");
  const chunks = o.quality.map((q) =>
    `<tr><td>${esc(q.chunk)}</td><td>${esc(showTime(q.first))}</td><td>${
      esc(showTime(q.last))
    }</td><td class="num">${q.rows}</td><td class="num">v${q.modelVersion}</td></tr>`
  ).join("");
  return `<section class="card" id="quality"><h2>Data quality</h2>
<h3>Sensors excluded by the health gate</h3>${
    exRows
      ? `<table><thead><tr><th>sensor</th><th>reason</th><th>chunks</th></tr></thead><tbody>${exRows}</tbody></table>`
      : `<p class="muted">None.</p>`
  }
<h3 style="margin-top:14px">Gaps in the scored data</h3>${gapSection(o.t)}
<h3 style="margin-top:14px">Notes on the input data</h3>${
    notes
      ? `<table><thead><tr><th>chunk</th><th>from</th><th>kind</th><th>note</th><th>count</th></tr></thead><tbody>${notes}</tbody></table>`
      : `<p class="muted">The source reported no gaps inside chunks, duplicates or dropped columns.</p>`
  }
<h3 style="margin-top:14px">Chunks</h3>${
    chunks
      ? `<table><thead><tr><th>chunk</th><th>first row</th><th>last row</th><th>rows</th><th>model</th></tr></thead><tbody>${chunks}</tbody></table>`
      : `<p class="muted">No chunk records.</p>`
  }</section>`;
}
