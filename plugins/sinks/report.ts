/**
 * `report` sink: at close(), rebuilds `<asset>/report.html` from the asset's stored
 * outputs (written by the csv sink, which must come before it in `sinks`).
 * The fleet index is written by the replay runner at the end (`writeFleetIndex`).
 * What it needs of the chunks it is handed (scores, expected values and residuals,
 * raw sensor values) is kept, so the report need not parse scores.csv and
 * expected.csv back nor read the chunk files again when they cover them (same
 * numbers: core/report/cached_chunk.ts).
 */
import { defineSink, type SinkTarget } from "../../core/plugin.ts";
import { writeAssetReport } from "../../core/report/asset_report.ts";
import { cacheChunk, type CachedChunk } from "../../core/report/cached_chunk.ts";

/** Options of the report sink. */
export interface ReportSinkOptions {
  top_episodes: number;
  traces_per_episode: number;
}

export default defineSink<ReportSinkOptions>({
  kind: "sink",
  name: "report",
  version: "1.0.0",
  summary:
    "Writes a self-contained HTML report per asset (<asset>/report.html) from the csv sink's outputs.",
  host_api: "^1.0.0",
  scope: "asset",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      top_episodes: {
        type: "integer",
        minimum: 0,
        description: "How many episodes (highest peak first) get culprit sensor traces.",
        default: 3,
      },
      traces_per_episode: {
        type: "integer",
        minimum: 1,
        description: "How many culprit sensors are traced per episode.",
        default: 3,
      },
    },
    examples: [{ top_episodes: 3, traces_per_episode: 3 }],
  },
  create(options, ctx) {
    let target: SinkTarget | undefined;
    let written = 0;
    const traces = new Map<string, CachedChunk>();
    return {
      open(t) {
        target = t;
        return Promise.resolve();
      },
      write(chunk) {
        written++;
        // the chunk's arrays may move to the main thread after the sinks: keep copies
        traces.set(chunk.chunk, cacheChunk(chunk));
        return Promise.resolve();
      },
      async close() {
        const t = target ?? ctx.fail("close() was called before open()");
        const exists = await Deno.stat(`${t.assetDir}/scores.csv`).then(() => true, () => false);
        if (!exists && written === 0) return;
        await writeAssetReport(t.assetDir, {
          topEpisodes: options.top_episodes,
          tracesPerEpisode: options.traces_per_episode,
          traces,
        });
        traces.clear();
      },
    };
  },
});
