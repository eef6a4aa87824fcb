/**
 * `csv` sink: per asset, the cumulative scores.csv / episodes.csv contract plus
 * sensors.csv and the JSON companions the report reads (core/io/csv_outputs.ts).
 */
import { defineSink, type SinkTarget } from "../../core/plugin.ts";
import { writeCsvChunk } from "../../core/io/csv_outputs.ts";

/** Options of the csv sink. */
export interface CsvSinkOptions {
  write_sensors: boolean;
}

export default defineSink<CsvSinkOptions>({
  kind: "sink",
  name: "csv",
  version: "1.0.0",
  summary:
    "Writes <asset>/scores.csv, episodes.csv, sensors.csv and data-quality/training JSON; re-written chunks replace their rows.",
  host_api: "^1.0.0",
  scope: "asset",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      write_sensors: {
        type: "boolean",
        description: "Also write sensors.csv (raw sensor values, used by the report's traces).",
        default: true,
      },
    },
    examples: [{ write_sensors: true }],
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
        await writeCsvChunk(t.assetDir, chunk, { sensors: options.write_sensors });
      },
    };
  },
});
