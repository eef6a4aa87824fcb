/**
 * Reads a sensor CSV into a Frame: one timestamp column plus numeric sensor columns.
 *
 * Steps: pick the delimiter from the header line, clean the header, sniff the first records
 * for descriptive rows and the timestamp column, then scan every record once, parsing numbers
 * and timestamps in place from char codes into column-major buffers. Rows are then sorted
 * (stable) and duplicate timestamps thinned (last occurrence kept). Nothing is dropped
 * silently: every skipped row, dropped column, reorder and zone conversion becomes a DataNote,
 * and anything that cannot be read is a positioned DataError.
 */
import { DataError } from "../errors.ts";
import type { Frame } from "../frame.ts";
import type { DataNote } from "../plugin.ts";
import { CsvScanner, detectDelimiter } from "./csv_scanner.ts";
import { assembleFrame, keptColumns, scanRecords } from "./csv_records.ts";
import {
  cleanHeader,
  columnByName,
  countDescriptiveRows,
  MAX_DESCRIPTIVE_ROWS,
  SNIFF_VALUES,
  type SniffedRow,
  TIMESTAMP_NAMES,
  timestampColumnByContent,
  timestampColumnByName,
} from "./csv_layout.ts";
import { orderRows } from "./row_order.ts";
import { resampleFrame, type ResampleMethod } from "./resample.ts";
import { TIMESTAMP_FORMATS_HINT, timestampState } from "./timestamp.ts";

/** Options of the CSV reader (the csv source plugin's options, defaults filled). */
export interface CsvReadOptions {
  /** Field delimiter; "auto" picks the most frequent of `,` `;` tab in the header line. */
  delimiter?: "auto" | "," | ";" | "\t" | "|";
  /** Name of the timestamp column, or "auto". */
  timestamp_column?: string;
  /** Columns not to read. */
  exclude_columns?: readonly string[];
  /** "auto" skips descriptive rows under the header; "none" treats every row as data. */
  descriptive_rows?: "auto" | "none";
  /** Duplicate timestamps: keep the last occurrence (with a note) or fail. */
  duplicates?: "keep_last" | "error";
  /** A non-numeric cell becomes NaN with a note ("nan") or drops its column ("drop_column"). */
  non_numeric?: "drop_column" | "nan";
  /** With non_numeric "nan": drop a column whose share of non-numeric cells exceeds this. */
  max_non_numeric_fraction?: number;
  /** Read `a/b/YYYY` dates day-first instead of month-first. */
  day_first?: boolean;
  /** > 0: resample the rows onto a grid of this many seconds (core/source/resample.ts); 0 = as read. */
  resample_s?: number;
  /** How a resampling bucket's readings become one value (default "mean"). */
  resample_method?: ResampleMethod;
}

/** A descriptive row skipped under the header: its line, its label and its cells by column. */
export interface DescriptiveRow {
  line: number;
  label: string;
  cells: Record<string, string>;
}

/** What the reader returns besides the frame. */
export interface CsvTable {
  frame: Frame;
  /** File line (1-based) of each frame row. */
  lines: Int32Array;
  notes: DataNote[];
  /** Name of the column read as timestamps. */
  timestampColumn: string;
  /** The delimiter used. */
  delimiter: string;
  /** Descriptive rows skipped under the header. */
  descriptiveRows: DescriptiveRow[];
  /** Unit per sensor column, from a descriptive row labelled "Units" (empty when none). */
  units: Record<string, string>;
  /** Data records read (before duplicate removal): `frame.rows + duplicates`. */
  records: number;
  /** Rows dropped as duplicate timestamps. */
  duplicates: number;
}

/** Default of `max_non_numeric_fraction`. */
export const MAX_NON_NUMERIC_FRACTION = 0.5;

/** Timestamps outside [1980, 2100) are noted as implausible (clock resets, placeholders). */
const PLAUSIBLE_FROM = Date.UTC(1980, 0, 1);
const PLAUSIBLE_UNTIL = Date.UTC(2100, 0, 1);

/** Reads a CSV file (UTF-8 with or without BOM, or UTF-16) into a frame and notes. */
export async function readCsvFile(path: string, options: CsvReadOptions = {}): Promise<CsvTable> {
  const bytes = await Deno.readFile(path);
  const encoding = sniffEncoding(bytes);
  const text = new TextDecoder(encoding.label).decode(bytes);
  const table = readCsvText(text, options, path);
  if (encoding.label !== "utf-8") {
    table.notes.push({
      kind: "encoding",
      message: `read the file as ${encoding.label.toUpperCase()} (${encoding.why})`,
    });
  }
  if (text.includes("\uFFFD")) {
    table.notes.push({
      kind: "encoding",
      message: "the file is not valid UTF-8; undecodable bytes were replaced by U+FFFD",
    });
  }
  return table;
}

/** Reads CSV text into a frame and notes; `file` names the input in errors. */
export function readCsvText(text: string, options: CsvReadOptions = {}, file?: string): CsvTable {
  const notes: DataNote[] = [];
  const delimOpt = options.delimiter ?? "auto";
  const delim = delimOpt === "auto" ? detectDelimiter(text) : delimOpt.charCodeAt(0);
  const sc = new CsvScanner(text, delim, file);
  if (!sc.next()) {
    throw new DataError("csv-empty", "Cannot read CSV: the file is empty", { file, line: 1 });
  }
  const header = cleanHeader(sc.record(), notes);
  const width = header.length;
  const st = timestampState(options.day_first ?? false);

  // Sniff the first records.
  const sniffed: SniffedRow[] = [];
  const sniffPos: { pos: number; line: number; blank: number }[] = [];
  while (sniffed.length < MAX_DESCRIPTIVE_ROWS + 4 * SNIFF_VALUES) {
    const at = { pos: sc.pos, line: sc.upcomingLine, blank: sc.blankLines };
    if (!sc.next()) break;
    sniffPos.push(at);
    sniffed.push({ line: sc.line, fields: sc.record() });
  }
  if (sniffed.length === 0) {
    throw new DataError("csv-empty", "Cannot read CSV: the file has a header but no data rows", {
      file,
      line: 2,
    });
  }

  const wanted = options.timestamp_column ?? "auto";
  let tsCol = wanted === "auto" ? timestampColumnByName(header) : columnByName(header, wanted);
  if (wanted !== "auto" && tsCol < 0) {
    throw new DataError(
      "csv-no-timestamp-column",
      `Cannot read CSV: timestamp_column "${wanted}" is not in the header`,
      { file, line: 1 },
      `columns: ${header.map((h) => `"${h}"`).join(", ")}`,
    );
  }
  const skipRows = options.descriptive_rows === "none"
    ? 0
    : countDescriptiveRows(sniffed, tsCol, st);
  if (tsCol < 0) {
    tsCol = timestampColumnByContent(width, sniffed.slice(skipRows), st);
    if (tsCol < 0) {
      throw new DataError(
        "csv-no-timestamp-column",
        "Cannot read CSV: no column is named like a timestamp and none holds timestamps",
        { file, line: 1 },
        `name the column one of ${TIMESTAMP_NAMES.join(", ")} or set timestamp_column; ` +
          TIMESTAMP_FORMATS_HINT,
      );
    }
  }
  const tsName = header[tsCol];
  const descriptiveRows = describeRows(sniffed.slice(0, skipRows), header, tsCol);
  const units: Record<string, string> = {};
  if (skipRows > 0) {
    const first = sniffed[0].line;
    const last = sniffed[skipRows - 1].line;
    notes.push({
      kind: "descriptive-rows",
      message: `skipped ${skipRows} descriptive row${skipRows === 1 ? "" : "s"} under the header ` +
        `(line${first === last ? ` ${first}` : `s ${first}–${last}`}: ${
          descriptiveRows.map((r) => `"${r.label}"`).join(", ")
        })`,
      count: skipRows,
      line: first,
    });
    const unitRow = descriptiveRows.find((r) => /^units?$/i.test(r.label));
    if (unitRow) {
      Object.assign(units, unitRow.cells);
      const listed = Object.entries(units).map(([c, u]) => `${c} [${u}]`).join(", ");
      notes.push({
        kind: "units",
        message: `units (line ${unitRow.line}): ${listed}`,
        line: unitRow.line,
      });
    }
  }
  if (skipRows < sniffPos.length) {
    const at = sniffPos[skipRows];
    sc.seek(at.pos, at.line, at.blank);
  }

  // Sensor candidates: every column but the timestamp and the excluded ones.
  const excluded = new Set(options.exclude_columns ?? []);
  for (const name of excluded) {
    if (!header.includes(name)) {
      notes.push({
        kind: "exclude-missing",
        message: `exclude_columns names "${name}", which is not in the header`,
        column: name,
      });
    }
  }
  const cand: number[] = [];
  for (let j = 0; j < width; j++) if (j !== tsCol && !excluded.has(header[j])) cand.push(j);
  if (excluded.has(tsName)) {
    notes.push({
      kind: "exclude-timestamp",
      message: `exclude_columns names the timestamp column "${tsName}"; it is still read as time`,
      column: tsName,
    });
  }
  const scan = scanRecords(sc, text, width, tsCol, cand, st, file, tsName, header);
  const n = scan.rows;
  if (n === 0) {
    throw new DataError("csv-empty", "Cannot read CSV: no data rows under the header", {
      file,
      line: sniffed[0].line,
    });
  }
  if (scan.zoned > 0) {
    notes.push({
      kind: "timezone-stripped",
      message:
        `${scan.zoned} timestamp${scan.zoned === 1 ? "" : "s"} carried a zone (Z or ±HH:MM); ` +
        "converted to UTC wall-clock time and the zone stripped",
      column: tsName,
      count: scan.zoned,
    });
  }
  if (sc.blankLines > 0) {
    notes.push({
      kind: "blank-lines",
      message: `skipped ${sc.blankLines} empty line${sc.blankLines === 1 ? "" : "s"} between rows`,
      count: sc.blankLines,
    });
  }
  if (scan.paddedRows > 0) {
    notes.push({
      kind: "trailing-empty-fields",
      message:
        `${scan.paddedRows} row(s) had extra empty fields after the last column; ignored them`,
      count: scan.paddedRows,
    });
  }

  const keep = keptColumns(scan, cand.map((j) => header[j]), {
    mode: options.non_numeric ?? "nan",
    maxFraction: options.max_non_numeric_fraction ?? MAX_NON_NUMERIC_FRACTION,
  }, notes);
  if (keep.length === 0) {
    throw new DataError(
      "csv-no-sensors",
      `Cannot read CSV: no numeric sensor column is left (${cand.length} candidate column(s))`,
      { file, line: 1 },
      notes.filter((x) => x.kind === "column-dropped").map((x) => x.message).join("; ") ||
        "the file holds only the timestamp column (or every other column is excluded)",
    );
  }

  noteImplausible(scan.ts, scan.lines, n, tsName, notes);
  const order = orderRows(scan.ts, n);
  if (order.backwardSteps > 0) {
    notes.push({
      kind: "unsorted",
      message: `rows were not in time order (${order.backwardSteps} backward step${
        order.backwardSteps === 1 ? "" : "s"
      }); sorted them (stable)`,
      column: tsName,
      count: order.backwardSteps,
    });
  }
  if (order.duplicates > 0 && order.firstDuplicate) {
    const [dropped, kept] = order.firstDuplicate;
    const text = `${order.duplicates} row${order.duplicates === 1 ? "" : "s"} share a timestamp ` +
      `with a later row (first: lines ${scan.lines[dropped]} and ${scan.lines[kept]})`;
    if (options.duplicates === "error") {
      throw new DataError(
        "csv-timestamp",
        `Cannot read CSV: duplicate timestamps, ${text}`,
        { file, line: scan.lines[kept] },
        "set duplicates: keep_last to keep the last occurrence of each timestamp",
      );
    }
    notes.push({
      kind: "duplicates",
      message: `${text}; kept the last occurrence of each`,
      column: tsName,
      count: order.duplicates,
      line: scan.lines[kept],
    });
  }
  let frame = assembleFrame(scan, keep, order.index, header, cand);
  let lines: Int32Array = order.index
    ? Int32Array.from(order.index, (r) => scan.lines[r])
    : scan.lines.slice(0, n);
  if ((options.resample_s ?? 0) > 0) {
    const r = resampleFrame(
      frame,
      lines,
      options.resample_s! * 1000,
      options.resample_method ?? "mean",
    );
    ({ frame, lines } = r);
    if (r.note) notes.push(r.note);
  }
  return {
    frame,
    lines,
    notes,
    timestampColumn: tsName,
    delimiter: String.fromCharCode(delim),
    descriptiveRows,
    units: Object.fromEntries(Object.entries(units).filter(([c]) => frame.columns.includes(c))),
    records: n,
    duplicates: order.duplicates,
  };
}

/** Notes timestamps before 1980 or from 2100 on (a reset clock, a 9999 placeholder). */
function noteImplausible(
  ts: Float64Array,
  lines: Int32Array,
  n: number,
  column: string,
  notes: DataNote[],
): void {
  let count = 0;
  let first = -1;
  for (let r = 0; r < n; r++) {
    const t = ts[r];
    if (t < PLAUSIBLE_FROM || t >= PLAUSIBLE_UNTIL) {
      if (count++ === 0) first = r;
    }
  }
  if (count === 0) return;
  notes.push({
    kind: "implausible-timestamps",
    message: `${count} timestamp${count === 1 ? " lies" : "s lie"} before 1980 or after 2099 ` +
      `(first ${new Date(ts[first]).toISOString()} at line ${lines[first]}); ` +
      "check the logger's clock and the timestamp format",
    column,
    count,
    line: lines[first],
  });
}

/**
 * The text encoding of a CSV file: UTF-16 by its byte-order mark, or by NUL bytes at every
 * other position of the first bytes (UTF-16 without BOM; ASCII text has no NUL); else UTF-8.
 */
export function sniffEncoding(
  bytes: Uint8Array,
): { label: "utf-8" | "utf-16le" | "utf-16be"; why: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: "utf-16le", why: "byte-order mark" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: "utf-16be", why: "byte-order mark" };
  const n = Math.min(bytes.length & ~1, 512);
  if (n < 8) return { label: "utf-8", why: "" };
  let evenNul = 0, oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const half = n / 2;
  if (oddNul > 0.9 * half && evenNul === 0) {
    return { label: "utf-16le", why: "NUL in every other byte, no byte-order mark" };
  }
  if (evenNul > 0.9 * half && oddNul === 0) {
    return { label: "utf-16be", why: "NUL in every other byte, no byte-order mark" };
  }
  return { label: "utf-8", why: "" };
}

function describeRows(rows: SniffedRow[], header: string[], tsCol: number): DescriptiveRow[] {
  return rows.map((r) => {
    const label = (r.fields[tsCol] ?? "").trim() || r.fields.find((v) => v.trim() !== "")!.trim();
    const cells: Record<string, string> = {};
    header.forEach((name, j) => {
      const v = (r.fields[j] ?? "").trim();
      if (j !== tsCol && v !== "") cells[name] = v;
    });
    return { line: r.line, label, cells };
  });
}
