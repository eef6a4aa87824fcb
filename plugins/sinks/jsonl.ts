/** `jsonl` sink: per asset, cumulative scores.jsonl and episodes.jsonl (core/io/jsonl_outputs.ts). */
import { defineSink, type SinkTarget } from "../../core/plugin.ts";
import { writeJsonlChunk } from "../../core/io/jsonl_outputs.ts";

export default defineSink<Record<string, never>>({
  kind: "sink",
  name: "jsonl",
  version: "1.0.0",
  summary:
    "Writes <asset>/scores.jsonl and episodes.jsonl (one JSON object per line); re-written chunks replace their rows.",
  host_api: "^1.0.0",
  scope: "asset",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {},
    examples: [{}],
  },
  create(_options, ctx) {
    let target: SinkTarget | undefined;
    return {
      open(t) {
        target = t;
        return Promise.resolve();
      },
      async write(chunk) {
        const t = target ?? ctx.fail("write() was called before open()");
        await writeJsonlChunk(t.assetDir, chunk);
      },
    };
  },
});
