import assert from "node:assert/strict";
import { startOrder } from "../../../core/replay/pool.ts";
import type { AssetJob } from "../../../core/replay/asset_runner.ts";
import type { ReplayEvent } from "../../../core/replay/events.ts";
import { replay } from "../../../core/replay/replay.ts";
import { defaultWithSinks, synthChunks } from "../../_helpers/synth_chunks.ts";

const jobs = (...names: string[]) => names.map((asset) => ({ asset }) as AssetJob);
const bytes: Record<string, number> = { FAN_B: 9.7, FAN_D: 22, PUMP_A: 6.4, TURBINE_C: 15 };

Deno.test("startOrder() starts the heaviest job first (longest processing time first)", () => {
  const js = jobs("FAN_B", "FAN_D", "PUMP_A", "TURBINE_C");
  assert.deepEqual(startOrder(js, (j) => bytes[j.asset]), [1, 3, 0, 2]);
});

Deno.test("startOrder() keeps job order for equal weights and without a weight", () => {
  const js = jobs("a", "b", "c");
  assert.deepEqual(startOrder(js, () => 1), [0, 1, 2]);
  assert.deepEqual(startOrder(js), [0, 1, 2]);
  assert.deepEqual(startOrder(js, (j) => (j.asset === "c" ? 2 : 1)), [2, 0, 1]);
});

/** Three synthetic assets (a 4-day bootstrap chunk, then 2-day chunks) and the default pipeline with a csv sink. */
async function builtInFleet() {
  const dir = await Deno.makeTempDir({ prefix: "acm_pool_" });
  const { assets } = await synthChunks(dir, { assets: 3 });
  return { dir, assets, pipeline: await defaultWithSinks(dir) };
}

/** Where each asset ran, from the pool's debug lines. */
function workerLines(events: ReplayEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) {
    if (e.type === "log" && e.level === "debug" && e.message.startsWith("runs in worker")) {
      out[e.asset] = e.message;
    }
  }
  return out;
}

Deno.test("replay() with built-in plugins runs the assets in turn in one reused worker, with the outputs of a worker per asset", async () => {
  const { dir, assets, pipeline } = await builtInFleet();
  try {
    const events: ReplayEvent[] = [];
    const shared = await replay({
      pipeline,
      chunkRoot: `${dir}/chunks`,
      artifactRoot: `${dir}/shared`,
      onEvent: (e) => events.push(e),
    });
    assert.equal(shared.exitCode, 0);
    const lines = Object.values(workerLines(events)).sort();
    assert.deepEqual(lines, [
      "runs in worker 1 (reused)",
      "runs in worker 1 (reused)",
      "runs in worker 1 (started)",
    ]);
    const isolated: ReplayEvent[] = [];
    const own = await replay({
      pipeline,
      chunkRoot: `${dir}/chunks`,
      artifactRoot: `${dir}/own`,
      isolateAssets: true,
      onEvent: (e) => isolated.push(e),
    });
    assert.equal(own.exitCode, 0);
    assert.deepEqual(workerLines(isolated), {});
    for (const a of assets) {
      for (const f of ["scores.csv", "episodes.csv", "expected.csv"]) {
        assert.equal(
          await Deno.readTextFile(`${dir}/shared/${a}/${f}`),
          await Deno.readTextFile(`${dir}/own/${a}/${f}`),
          `${a}/${f}`,
        );
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("replay(): an asset that fails ends its reused worker; the next asset starts a fresh one and finishes", async () => {
  const { dir, assets, pipeline } = await builtInFleet();
  try {
    // The heaviest asset runs first: give it a chunk the reader refuses.
    const bad = assets[0];
    const chunks = [...Deno.readDirSync(`${dir}/chunks/${bad}`)].map((e) => e.name).sort();
    await Deno.writeTextFile(
      `${dir}/chunks/${bad}/${chunks[1]}`,
      "timestamp,x\nnot a time,1\n" + "x".repeat(200_000),
    );
    const events: ReplayEvent[] = [];
    const s = await replay({
      pipeline,
      chunkRoot: `${dir}/chunks`,
      artifactRoot: `${dir}/art`,
      onEvent: (e) => events.push(e),
    });
    const status = Object.fromEntries(s.assets.map((a) => [a.asset, [a.status, a.done]]));
    assert.deepEqual(status[bad], ["failed", 1]);
    const lines = workerLines(events);
    assert.equal(lines[bad], "runs in worker 1 (started)");
    const after = assets.filter((a) => a !== bad);
    assert.deepEqual(after.map((a) => lines[a]).sort(), [
      "runs in worker 1 (reused)",
      "runs in worker 1 (started)",
    ]);
    for (const a of after) assert.equal(status[a][0], "ok", a);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
