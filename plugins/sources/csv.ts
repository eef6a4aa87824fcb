/** `csv` source: reads one sensor CSV file (timestamp column + numeric sensors) into a frame. */
import { defineSource } from "../../core/plugin.ts";
import { readCsvFile } from "../../core/source/csv_reader.ts";

/** Options of `csv` (defaults filled by the pipeline loader). */
export interface CsvSourceOptions {
  delimiter: "auto" | "," | ";" | "\t";
  timestamp_column: string;
  exclude_columns: string[];
  descriptive_rows: "auto" | "none";
  duplicates: "keep_last" | "error";
  non_numeric: "drop_column" | "nan";
  day_first: boolean;
}

export default defineSource<CsvSourceOptions>({
  kind: "source",
  name: "csv",
  version: "1.0.0",
  summary:
    "Reads a sensor CSV (`,` `;` or tab, quoted fields, BOM, mixed CRLF/LF, ISO and month-first timestamps) into a frame.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      delimiter: {
        enum: ["auto", ",", ";", "\t"],
        description:
          "Field delimiter. `auto` takes the most frequent of `,` `;` and tab in the header line.",
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
        enum: ["drop_column", "nan"],
        description:
          "A cell that is neither a number nor empty/NaN: drop its whole column (with a note naming the value and line), or read it as NaN (with a note counting them).",
        default: "drop_column",
      },
      day_first: {
        type: "boolean",
        description:
          "Read `a/b/YYYY` and `a-b-YYYY` dates as day/month instead of month/day. ISO dates are unaffected.",
        default: false,
      },
    },
    examples: [
      { timestamp_column: "auto" },
      { delimiter: ";", timestamp_column: "datetime", exclude_columns: ["anomaly", "changepoint"] },
    ],
  },
  create(options) {
    return {
      async read(path) {
        const table = await readCsvFile(path, options);
        return { frame: table.frame, notes: table.notes };
      },
    };
  },
});
