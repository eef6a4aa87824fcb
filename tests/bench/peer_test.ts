import assert from "node:assert/strict";
import { writeChunkSet } from "../../bench/_gen.ts";
import { peerUnavailable, runPeer } from "../../bench/_spawn.ts";

const missing = await peerUnavailable();

Deno.test({
  name:
    "runPeer() fits the Python peer on the first chunk and writes scores and episodes of the others",
  ignore: missing !== null,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "acm_peer_test_" });
    try {
      const set = await writeChunkSet(`${dir}/chunks`, {
        sensors: 6,
        rows: 400,
        scoringChunks: 2,
        cadenceS: 60,
        type: "pump",
      });
      const r = await runPeer(set.dir, `${dir}/peer`);
      assert.equal(r.rows, 1200);
      assert.equal(r.train_rows, 400);
      assert.equal(r.scored_rows, 800);
      for (const k of ["parse_s", "train_s", "score_s", "total_s"] as const) {
        assert.ok(r[k] >= 0 && Number.isFinite(r[k]), `${k} = ${r[k]}`);
      }
      assert.ok(r.total_s >= r.train_s + r.score_s);

      const scores = (await Deno.readTextFile(`${dir}/peer/scores.csv`)).trim().split("\n");
      assert.equal(scores[0], "timestamp,fused,alarm");
      assert.equal(scores.length, 801);
      // first scored row is the first row of chunk 2, in the bench's ISO format
      const chunk2 = (await Deno.readTextFile(set.files[1])).split("\n")[1].split(",")[0];
      assert.equal(scores[1].split(",")[0], chunk2);
      for (const line of scores.slice(1)) {
        const [, fused, alarm] = line.split(",");
        assert.ok(Number(fused) >= 0, `fused ${fused} must be ≥ 0 (mean of positive parts)`);
        assert.ok(alarm === "0" || alarm === "1");
      }
      const episodes = (await Deno.readTextFile(`${dir}/peer/episodes.csv`)).trim().split("\n");
      assert.equal(episodes[0], "start,end,peak_z");
      assert.equal(episodes.length - 1, r.episodes);
      const alarms = scores.slice(1).filter((l) => l.endsWith(",1")).length;
      assert.equal(alarms > 0, r.episodes > 0, "alarm rows exist exactly when episodes do");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
