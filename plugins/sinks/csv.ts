/**
 * `csv` sink: per asset, the cumulative scores.csv / episodes.csv contract plus
 * the JSON companions (and, with write_sensors, sensors.csv) the report reads (core/io/csv_outputs.ts).
 */
import { defineSink, type SinkTarget } from "../../core/plugin.ts";
import { DEFAULT_EXPECTED_DIGITS, writeCsvChunk } from "../../core/io/csv_outputs.ts";

/** Options of the csv sink. */
export interface CsvSinkOptions {
  write_sensors: boolean;
  /** Significant digits of expected.csv values (absent: DEFAULT_EXPECTED_DIGITS; 0 = full precision). */
  expected_digits?: number;
}

export default defineSink<CsvSinkOptions>({
  kind: "sink",
  name: "csv",
  version: "1.1.0",
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
    }],
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
          expectedDigits: options.expected_digits,
        });
      },
    };
  },
});
