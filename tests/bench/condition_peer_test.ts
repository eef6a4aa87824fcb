import assert from "node:assert/strict";
import { writeChunkSet } from "../../bench/_gen.ts";
import { peerUnavailable, PYTHON, REPO } from "../../bench/_spawn.ts";

const missing = await peerUnavailable();

Deno.test({
  name:
    "condition_peer.py fits on the first chunk, scores the others and writes scores and episodes",
  ignore: missing !== null,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "acm_cpeer_test_" });
    try {
      const set = await writeChunkSet(`${dir}/chunks`, {
        sensors: 6,
        rows: 600,
        scoringChunks: 2,
        cadenceS: 60,
        type: "pump",
      });
      const out = await new Deno.Command(PYTHON, {
        args: [`${REPO}/bench/peer/condition_peer.py`, "--chunks", set.dir, "--out", `${dir}/p`],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      const r = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
      assert.equal(r.rows, 1800);
      assert.equal(r.train_rows, 600);
      assert.equal(r.scored_rows, 1200);
      const scores = (await Deno.readTextFile(`${dir}/p/scores.csv`)).trim().split("\n");
      assert.equal(scores[0], "timestamp,fused,alarm");
      assert.equal(scores.length, 1201);
      for (const line of scores.slice(1)) {
        const [, fused, alarm] = line.split(",");
        // z = 4.5 × S/h with S capped at 1.5 h: within [0, 6.75]
        assert.ok(Number(fused) >= 0 && Number(fused) <= 6.75 + 1e-9, `fused ${fused}`);
        assert.ok(alarm === "0" || alarm === "1");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "condition_peer.cusum_capped() equals the row-by-row capped CUSUM recursion",
  ignore: missing !== null,
  async fn() {
    const code = `
import sys; sys.path.insert(0, ${JSON.stringify(`${REPO}/bench/peer`)})
import numpy as np
from condition_peer import cusum_capped
rng = np.random.default_rng(1)
worst = 0.0
for trial in range(40):
    n, m = int(rng.integers(1, 3000)), int(rng.integers(1, 5))
    l = rng.normal(rng.uniform(-1, 0.6), 1, (n, m)); s0 = rng.uniform(0, 3, m); top = rng.uniform(0.5, 8, m)
    got = cusum_capped(l, s0, top, block=int(rng.integers(1, 100)))
    ref = np.empty_like(l); v = s0.copy()
    for i in range(n):
        v = np.minimum(top, np.maximum(0, v + l[i])); ref[i] = v
    worst = max(worst, float(np.abs(got - ref).max()))
print(worst)
`;
    const out = await new Deno.Command(PYTHON, {
      args: ["-c", code],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    assert.ok(Number(new TextDecoder().decode(out.stdout)) < 1e-9);
  },
});
