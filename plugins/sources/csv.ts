/** `csv` source: reads one sensor CSV file (timestamp column + numeric sensors) into a frame. */
import { defineSource } from "../../core/plugin.ts";
import { readCsvFile } from "../../core/source/csv_reader.ts";

/** Options of `csv` (defaults filled by the pipeline loader). */
export interface CsvSourceOptions {
  delimiter: "auto" | "," | ";" | "\t" | "|";
  timestamp_column: string;
  exclude_columns: string[];
  descriptive_rows: "auto" | "none";
  duplicates: "keep_last" | "error";
  non_numeric: "drop_column" | "nan";
  max_non_numeric_fraction: number;
  day_first: boolean;
  resample_s: number;
  resample_method: "mean" | "last";
}

export default defineSource<CsvSourceOptions>({
  kind: "source",
  name: "csv",
  version: "1.0.0",
  summary:
    "Reads a sensor CSV (`,` `;` tab or `|`, quoted fields, UTF-8/UTF-16, mixed CRLF/LF, ISO and month-first timestamps) into a frame.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      delimiter: {
        enum: ["auto", ",", ";", "\t", "|"],
        description:
          "Field delimiter. `auto` takes the one of `,` `;` tab and `|` that occurs equally often in the first lines (the most frequent in the header line when none does).",
        default: "auto",
      },
      timestamp_column: {
        type: "string",
        minLength: 1,
        description:
          "Name of the timestamp column, or `auto`: the first column named timestamp, time, datetime, date or ts (any case), else the first column whose first 10 values parse as timestamps.",
        default: "auto",
      },
      exclude_columns: {
        type: "array",
        items: { type: "string" },
        uniqueItems: true,
        description:
          "Columns not to read (e.g. label columns such as `anomaly`, `changepoint`). A name not in the file gives a note, not an error.",
        default: [],
      },
      descriptive_rows: {
        enum: ["auto", "none"],
        description:
          "`auto` skips rows right under the header whose timestamp does not parse and whose cells are mostly text (Description, Units, ...), with a note; `none` reads every row as data.",
        default: "auto",
      },
      duplicates: {
        enum: ["keep_last", "error"],
        description:
          "Rows with the same timestamp: keep the last occurrence in file order (with a note), or stop with an error.",
        default: "keep_last",
      },
      non_numeric: {
        enum: ["nan", "drop_column"],
        description:
          "A cell that is neither a number nor empty/NaN (`NULL`, `n/a`, `#N/A`, `-`, `inf`, `1,5`, `ERR`, ...): `nan` reads it as NaN for that row, with a note counting them per column and naming the first lines; `drop_column` drops its whole column on the first one (with a note naming the value and line).",
        default: "nan",
      },
      max_non_numeric_fraction: {
        type: "number",
        minimum: 0,
        maximum: 1,
        description:
          "With `non_numeric: nan`: a column whose share of non-numeric cells is above this is dropped for the chunk, with a note stating the share (a text column such as a status or a label).",
        default: 0.5,
      },
      day_first: {
        type: "boolean",
        description:
          "Read `a/b/YYYY` and `a-b-YYYY` dates as day/month instead of month/day. ISO dates are unaffected.",
        default: false,
      },
      resample_s: {
        type: "number",
        minimum: 0,
        description:
          "> 0: resample every chunk onto a grid of this many seconds, anchored at the epoch (ACM V8's `data.sampling_secs`): one row per bucket [t, t + resample_s) that holds readings, stamped at its start, with a note counting the merged rows; empty buckets stay gaps. Use it when chunks come at another step than the training data (the replay warns: `cadence` note). 0 = rows as read.",
        default: 0,
      },
      resample_method: {
        enum: ["mean", "last"],
        description:
          "With `resample_s`: a bucket's value per column is the mean of its finite readings (`mean`), or its last finite reading (`last`, for snapshot data); NaN when it has none.",
        default: "mean",
      },
    },
    examples: [
      { timestamp_column: "auto" },
      { delimiter: ";", timestamp_column: "datetime", exclude_columns: ["anomaly", "changepoint"] },
      { non_numeric: "nan", max_non_numeric_fraction: 0.2 },
      { resample_s: 1800, resample_method: "mean" },
    ],
  },
  create(options) {
    return {
      async read(path) {
        const table = await readCsvFile(path, options);
        return { frame: table.frame, notes: table.notes, lines: table.lines };
      },
    };
  },
});
