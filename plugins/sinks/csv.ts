/**
 * `csv` sink: per asset, the cumulative scores.csv / episodes.csv contract plus
 * the JSON companions, expected.csv (unless write_expected is false) and, with write_sensors,
 * sensors.csv, which the report reads (core/io/csv_outputs.ts).
 */
import { defineSink, type SinkTarget } from "../../core/plugin.ts";
import { DEFAULT_EXPECTED_DIGITS, writeCsvChunk } from "../../core/io/csv_outputs.ts";

/** Options of the csv sink. */
export interface CsvSinkOptions {
  write_sensors: boolean;
  /** Write expected.csv (absent: true). */
  write_expected?: boolean;
  /** Significant digits of expected.csv values (absent: DEFAULT_EXPECTED_DIGITS; 0 = full precision). */
  expected_digits?: number;
}

export default defineSink<CsvSinkOptions>({
  kind: "sink",
  name: "csv",
  version: "1.2.0",
  summary:
    "Writes <asset>/scores.csv, episodes.csv, data-quality/training JSON (and sensors.csv on request); re-written chunks replace their rows.",
  host_api: "^1.0.0",
  scope: "asset",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      write_sensors: {
        type: "boolean",
        description:
          "Also write sensors.csv, a copy of the raw sensor values. Off by default: the report reads the traces from the chunk files the replay read (recorded per chunk); turn it on when those files move or are deleted after the run.",
        default: false,
      },
      write_expected: {
        type: "boolean",
        description:
          "Write expected.csv: each sensor's expected value and residual per row, from the heads that export them (the condition model). It is the largest output (about 2 values per sensor and row, ~3× the input CSV) and the report's actual-vs-expected lines read it; false leaves it out (the report then draws the training median instead).",
        default: true,
      },
      expected_digits: {
        type: "integer",
        minimum: 0,
        maximum: 17,
        description:
          "Significant digits of each expected value and residual in expected.csv (and the report's traces), 1–17; 0 writes full precision (16–17 digits, about twice the bytes).",
        default: DEFAULT_EXPECTED_DIGITS,
      },
    },
    examples: [{ write_sensors: false }, { write_sensors: true, expected_digits: 0 }, {
      expected_digits: 5,
    }, { write_expected: false }],
  },
  create(options, ctx) {
    let target: SinkTarget | undefined;
    return {
      open(t) {
        target = t;
        return Promise.resolve();
      },
      async write(chunk) {
        const t = target ?? ctx.fail("write() was called before open()");
        await writeCsvChunk(t.assetDir, chunk, {
          sensors: options.write_sensors,
          expected: options.write_expected,
          expectedDigits: options.expected_digits,
        });
      },
    };
  },
});
