/**
 * Layout sniffing on the first records of a CSV: header clean-up, the timestamp column,
 * and descriptive rows under the header (Description / Units rows of historian exports).
 */
import type { DataNote } from "../plugin.ts";
import { isMissingRange, parseNumber } from "./number.ts";
import { parseTimestampRange, type TimestampState } from "./timestamp.ts";

/** Header names that mark the timestamp column, in priority order (compared case-insensitively). */
export const TIMESTAMP_NAMES = ["timestamp", "time", "datetime", "date", "ts"] as const;

/** At most this many rows right under the header are taken as descriptive. */
export const MAX_DESCRIPTIVE_ROWS = 16;

/** Values of a column that must all parse for content-based timestamp detection. */
export const SNIFF_VALUES = 10;

/** One sniffed record: its 1-based line and its fields as text. */
export interface SniffedRow {
  line: number;
  fields: string[];
}

/**
 * Cleans header names: trims spaces, drops empty names at the end of the line, names other
 * empty ones `column_<k>` (1-based) and suffixes repeats `.1`, `.2` (as pandas does).
 */
export function cleanHeader(raw: readonly string[], notes: DataNote[]): string[] {
  const names = raw.map((n) => n.trim());
  let end = names.length;
  while (end > 1 && names[end - 1] === "") end--;
  if (end < names.length) {
    notes.push({
      kind: "header-trailing-empty",
      message: `ignored ${names.length - end} empty header field(s) at the end of the header line`,
      count: names.length - end,
      line: 1,
    });
  }
  const out: string[] = [];
  const seen = new Map<string, number>();
  for (let k = 0; k < end; k++) {
    let name = names[k];
    if (name === "") {
      name = `column_${k + 1}`;
      notes.push({
        kind: "header-renamed",
        message: `header field ${k + 1} is empty; named it "${name}"`,
        column: name,
        line: 1,
      });
    }
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    if (count > 0) {
      const renamed = `${name}.${count}`;
      notes.push({
        kind: "header-renamed",
        message: `header name "${name}" repeats; renamed occurrence ${count + 1} to "${renamed}"`,
        column: renamed,
        line: 1,
      });
      name = renamed;
    }
    out.push(name);
  }
  return out;
}

/** Index of the column named `wanted` (exact, then case-insensitive), or -1. */
export function columnByName(names: readonly string[], wanted: string): number {
  const exact = names.indexOf(wanted);
  if (exact >= 0) return exact;
  const lower = wanted.trim().toLowerCase();
  return names.findIndex((n) => n.toLowerCase() === lower);
}

/** The first header name in TIMESTAMP_NAMES order, or -1. */
export function timestampColumnByName(names: readonly string[]): number {
  const lower = names.map((n) => n.toLowerCase());
  for (const candidate of TIMESTAMP_NAMES) {
    const j = lower.indexOf(candidate);
    if (j >= 0) return j;
  }
  return -1;
}

function isTimestamp(value: string, st: TimestampState): boolean {
  return !Number.isNaN(parseTimestampRange(value, 0, value.length, st));
}

/**
 * The first column whose first SNIFF_VALUES non-empty values (at least one) all parse as
 * timestamps, or -1.
 */
export function timestampColumnByContent(
  columns: number,
  rows: readonly SniffedRow[],
  st: TimestampState,
): number {
  for (let j = 0; j < columns; j++) {
    let seen = 0;
    let ok = true;
    for (const row of rows) {
      const v = (row.fields[j] ?? "").trim();
      if (v === "") continue;
      if (!isTimestamp(v, st)) {
        ok = false;
        break;
      }
      if (++seen === SNIFF_VALUES) break;
    }
    if (ok && seen > 0) return j;
  }
  return -1;
}

/**
 * Counts descriptive rows at the top of `rows`: a row is descriptive when it has a non-empty
 * cell, its timestamp cell (every cell when `tsCol` is -1) does not parse as a timestamp, and
 * its other non-empty, non-missing cells are mostly (more than half) non-numeric.
 */
export function countDescriptiveRows(
  rows: readonly SniffedRow[],
  tsCol: number,
  st: TimestampState,
): number {
  let count = 0;
  for (const row of rows) {
    if (count === MAX_DESCRIPTIVE_ROWS) break;
    const f = row.fields;
    if (!f.some((v) => v.trim() !== "")) break;
    let stamped = false;
    let numeric = 0;
    let text = 0;
    for (let j = 0; j < f.length; j++) {
      const v = f[j];
      if (tsCol < 0 ? isTimestamp(v, st) : j === tsCol && isTimestamp(v, st)) stamped = true;
      if (j === tsCol || isMissingRange(v, 0, v.length)) continue;
      if (Number.isNaN(parseNumber(v))) text++;
      else numeric++;
    }
    if (stamped || (numeric > 0 && text <= numeric)) break;
    count++;
  }
  return count;
}
