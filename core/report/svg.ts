/**
 * Small SVG drawing helpers for the report: linear scales, "nice" ticks, time
 * ticks, polyline paths that break at missing values, and HTML escaping.
 */
import { formatTimestamp } from "../frame.ts";

/** Escapes text for HTML/SVG content and attribute values. */
export function esc(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/** A linear map from a domain to a range; a zero-width domain maps to the range middle. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  if (!(span !== 0) || !Number.isFinite(span)) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / span;
  return (v) => r0 + (v - d0) * k;
}

/** Rounds to 2 decimals for compact SVG coordinates. */
export function px(v: number): string {
  // String(r / 100) of the rounded value r, from integer parts: for |r| < 1e15
  // the shortest round-trip decimal of r / 100 is r's digits with the point
  // two places in and trailing zeros dropped (no other decimal with at most two
  // places lies within half an ulp), and integer-to-string is the cheap one.
  const r = Math.round(v * 100);
  if (r === 0) return "0"; // also −0
  if (!(r < 1e15 && r > -1e15)) return String(r / 100); // NaN, ±Infinity, huge
  const a = r < 0 ? -r : r;
  const ip = Math.floor(a / 100), fp = a - ip * 100;
  const head = r < 0 ? `-${ip}` : `${ip}`;
  if (fp === 0) return head;
  return fp % 10 === 0 ? `${head}.${fp / 10}` : fp < 10 ? `${head}.0${fp}` : `${head}.${fp}`;
}

/** About `count` round tick values covering [min, max] (1, 2, 5 × 10^k steps). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return out;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TIME_STEPS = [
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  91 * DAY,
  365 * DAY,
];

/** Time ticks at round steps (hours to years) with short labels. */
export function timeTicks(t0: number, t1: number, count = 6): { t: number; label: string }[] {
  if (!(t1 > t0)) return Number.isFinite(t0) ? [{ t: t0, label: shortTime(t0, HOUR) }] : [];
  const raw = (t1 - t0) / Math.max(1, count);
  const step = TIME_STEPS.find((s) => s >= raw) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const out: { t: number; label: string }[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    out.push({ t, label: shortTime(t, step) });
  }
  return out;
}

function shortTime(t: number, step: number): string {
  const iso = formatTimestamp(t);
  return step < DAY ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/** An SVG path `d` through (x, y); a NaN y (or a gap longer than `maxGap` in x) breaks the line. */
export function linePath(
  x: Float64Array,
  y: Float64Array,
  sx: (v: number) => number,
  sy: (v: number) => number,
  maxGap = Infinity,
): string {
  let d = "";
  let pen = false;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(y[i])) {
      pen = false;
      continue;
    }
    if (pen && x[i] - x[i - 1] > maxGap) pen = false;
    d += `${pen ? "L" : "M"}${px(sx(x[i]))} ${px(sy(y[i]))}`;
    pen = true;
  }
  return d;
}

/** Human duration: "45 min", "6.5 h", "3.2 d". */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "–";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

/** A number for display with `digits` significant digits ("–" when missing). */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  if (Math.abs(x) >= 10 ** digits) return x.toFixed(0);
  return String(Number(x.toPrecision(digits)));
}

/** ISO timestamp shown as "YYYY-MM-DD HH:MM". */
export function showTime(iso: string): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : "–";
}

/** A 0–100 health value with one decimal ("–" when missing). */
export function fmtHealth(h: number | null | undefined): string {
  return h === null || h === undefined || !Number.isFinite(h) ? "–" : h.toFixed(1);
}
