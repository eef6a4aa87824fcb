/**
 * An asset's health trend for the fleet index: daily mean health over the last
 * 30 days of its data (UTC days ending with the day of its last row), the 7-
 * and 30-day means, and a small inline SVG sparkline of the daily means on the
 * GOOD / WATCH / ALERT zones (days without rows are gaps in the line).
 */
import { OKABE_ITO } from "./palette.ts";
import { fmtHealth, px } from "./svg.ts";
import type { ReportThresholds } from "./thresholds.ts";

const DAY = 86_400_000;

/** Daily mean health (NaN = no rows that day), oldest first, and the window means. */
export interface HealthTrend {
  /** Epoch ms of the first day (UTC midnight). */
  day0: number;
  daily: Float64Array;
  mean7: number;
  mean30: number;
}

/** Daily means of `health` over the `days` UTC days ending with the day of the last row. */
export function healthTrend(t: Float64Array, health: Float64Array, days = 30): HealthTrend | null {
  if (t.length === 0) return null;
  const lastDay = Math.floor(t[t.length - 1] / DAY) * DAY;
  const day0 = lastDay - (days - 1) * DAY;
  const sum = new Float64Array(days), n = new Float64Array(days);
  for (let i = t.length - 1; i >= 0 && t[i] >= day0; i--) {
    if (!Number.isFinite(health[i])) continue;
    const d = Math.floor((t[i] - day0) / DAY);
    sum[d] += health[i];
    n[d]++;
  }
  const daily = Float64Array.from(sum, (s, d) => (n[d] > 0 ? s / n[d] : NaN));
  const mean = (from: number) => {
    let s = 0, k = 0;
    for (let d = from; d < days; d++) if (n[d] > 0) (s += sum[d], k += n[d]);
    return k > 0 ? s / k : NaN;
  };
  return { day0, daily, mean7: mean(Math.max(0, days - 7)), mean30: mean(0) };
}

/**
 * Share of the rows with `t` ≥ `day0` (the trend's window) whose alarm flag is
 * 1, over those with a flag; NaN when the window has none.
 */
export function alarmShare(t: Float64Array, alarm: Float64Array, day0: number): number {
  let on = 0, k = 0;
  for (let i = t.length - 1; i >= 0 && t[i] >= day0; i--) {
    if (alarm[i] !== alarm[i]) continue;
    k++;
    if (alarm[i] === 1) on++;
  }
  return k > 0 ? on / k : NaN;
}

/** A 30-day sparkline (120 × 30 px) with the zone bands; the last 7 days are marked. */
export function sparkline(trend: HealthTrend, th: ReportThresholds): string {
  const w = 120, h = 30, n = trend.daily.length;
  const sx = (d: number) => (n > 1 ? (d / (n - 1)) * (w - 4) + 2 : w / 2);
  const sy = (v: number) => 2 + (1 - Math.max(0, Math.min(100, v)) / 100) * (h - 4);
  const band = (a: number, b: number, c: string) =>
    `<rect x="0" width="${w}" y="${px(sy(b))}" height="${
      px(sy(a) - sy(b))
    }" fill="${c}" fill-opacity="0.15"/>`;
  let d = "", pen = false;
  trend.daily.forEach((v, k) => {
    if (!Number.isFinite(v)) return void (pen = false);
    d += `${pen ? "L" : "M"}${px(sx(k))} ${px(sy(v))}`;
    pen = true;
  });
  const dots = [...trend.daily].map((v, k) =>
    Number.isFinite(v) && (k === 0 || !Number.isFinite(trend.daily[k - 1])) &&
      (k === n - 1 || !Number.isFinite(trend.daily[k + 1]))
      ? `<circle cx="${px(sx(k))}" cy="${px(sy(v))}" r="1.5"/>`
      : ""
  ).join("");
  return `<svg class="spark" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="daily mean health, last 30 days: 7-day mean ${
    fmtHealth(trend.mean7)
  }, 30-day mean ${fmtHealth(trend.mean30)}">` +
    band(th.watch_below, 100, OKABE_ITO.green) +
    band(th.alert_below, th.watch_below, OKABE_ITO.orange) +
    band(0, th.alert_below, OKABE_ITO.vermillion) +
    `<rect x="${px(sx(n - 7) - 2)}" width="${
      px(w - sx(n - 7) + 2)
    }" y="0" height="${h}" fill="none" stroke="#999" stroke-dasharray="2 2"/>` +
    `<path d="${d}" fill="none" stroke="${OKABE_ITO.black}" stroke-width="1.3"/>${dots}</svg>`;
}
