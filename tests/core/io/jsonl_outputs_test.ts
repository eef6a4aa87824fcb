import assert from "node:assert/strict";
import { scoresJsonl } from "../../../core/io/jsonl_outputs.ts";
import { makeScoredChunks } from "../../_helpers/scored_chunk.ts";

Deno.test("scoresJsonl() writes envelope and transient per row when the chunk has them, else leaves them out", () => {
  const [chunk] = makeScoredChunks({ chunks: 1, rowsPerChunk: 4 });
  const plain = scoresJsonl(chunk).trim().split("\n").map((l) => JSON.parse(l));
  assert.ok(plain.every((r) => !("envelope" in r) && !("transient" in r)));
  chunk.envelope = Uint8Array.from([0, 1, 1, 0]);
  chunk.transient = Uint8Array.from([1, 0, 0, 0]);
  const rows = scoresJsonl(chunk).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((r) => [r.envelope, r.transient]), [[0, 1], [1, 0], [1, 0], [0, 0]]);
});
