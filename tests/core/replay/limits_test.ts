import assert from "node:assert/strict";
import {
  checkChunkSize,
  DEFAULT_TIMEOUT_BASE_S,
  defaultChunkTimeoutS,
  MAX_CELLS,
  MAX_COLUMNS,
} from "../../../core/replay/limits.ts";
import { replay } from "../../../core/replay/replay.ts";
import { FAKE_HOST, writeFakePipeline, writeFleet } from "../../_helpers/fake_engine.ts";

Deno.test("defaultChunkTimeoutS() grows with the chunk's size and never goes under the base", () => {
  assert.equal(defaultChunkTimeoutS(0), DEFAULT_TIMEOUT_BASE_S);
  const small = defaultChunkTimeoutS(1 << 20);
  const big = defaultChunkTimeoutS(100 << 20);
  assert.ok(
    small > DEFAULT_TIMEOUT_BASE_S && big > 50 * (small - DEFAULT_TIMEOUT_BASE_S),
    `${small} ${big}`,
  );
});

Deno.test("checkChunkSize() refuses too many columns or cells, naming the chunk, the counts and the fix", () => {
  assert.equal(checkChunkSize("a.csv", 1000, 50), null);
  const wide = checkChunkSize("wide.csv", 10, MAX_COLUMNS + 1)!;
  assert.match(wide, /wide\.csv has 2001 sensor columns; the limit is 2000/);
  assert.match(wide, /drop columns|fewer sensors/);
  const tall = checkChunkSize("tall.csv", MAX_CELLS / 10 + 1, 10)!;
  assert.match(tall, /tall\.csv has .* values \(.* rows × 10 columns\); the limit is/);
  assert.match(tall, /split/);
});

Deno.test("replay() fails a 2,001-column chunk with a clear message and lets the other asset finish", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_limits_" });
  const wide = Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => `s${i}`);
  await writeFleet(`${dir}/chunks`, { assets: ["WIDE"], chunks: 1, rows: 3, sensors: wide });
  await writeFleet(`${dir}/chunks`, { assets: ["OK"], chunks: 1, rows: 20 });
  const s = await replay({
    pipeline: await writeFakePipeline(dir, {}),
    chunkRoot: `${dir}/chunks`,
    artifactRoot: `${dir}/art`,
    hostModules: [FAKE_HOST],
  });
  const [ok, w] = s.assets;
  assert.equal(ok.status, "ok");
  assert.equal(w.status, "failed");
  assert.match(w.error!, /2001 sensor columns; the limit is 2000/);
});

Deno.test("replay() without chunkTimeoutS records the size-scaled default in the run manifest", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_limits_" });
  await writeFleet(`${dir}/chunks`, { assets: ["A"], chunks: 1, rows: 20 });
  const s = await replay({
    pipeline: await writeFakePipeline(dir, {}),
    chunkRoot: `${dir}/chunks`,
    artifactRoot: `${dir}/art`,
    hostModules: [FAKE_HOST],
  });
  const manifest = JSON.parse(await Deno.readTextFile(s.manifest!));
  assert.match(JSON.stringify(manifest), /"chunk_timeout_s":"default \(scaled/);
});
