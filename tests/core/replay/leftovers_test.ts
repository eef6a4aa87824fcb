import assert from "node:assert/strict";
import { replay } from "../../../core/replay/replay.ts";
import { removeLeftoverTemps } from "../../../core/replay/leftovers.ts";
import { FAKE_HOST, writeFakePipeline, writeFleet } from "../../_helpers/fake_engine.ts";

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

Deno.test("removeLeftoverTemps() removes `.*.tmp` files left by kill -9 anywhere under the root, nothing else", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_tmp_" });
  await Deno.mkdir(`${dir}/A/parts/scores`, { recursive: true });
  const temps = [`${dir}/.ledger.json.41.1.tmp`, `${dir}/A/parts/scores/.p3.csv.41.2.tmp`];
  const keep = [`${dir}/ledger.json`, `${dir}/A/notes.tmp`, `${dir}/A/parts/scores/p3.csv`];
  for (const f of [...temps, ...keep]) await Deno.writeFile(f, new Uint8Array());
  const gone = await removeLeftoverTemps(dir);
  assert.deepEqual(gone.sort(), temps.sort());
  for (const f of temps) assert.equal(await exists(f), false, f);
  for (const f of keep) assert.equal(await exists(f), true, f);
});

Deno.test("replay() --resume removes 0-byte temp files a killed run left in the artifact root and sink folders", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_tmp_" });
  await writeFleet(`${dir}/chunks`, { assets: ["A"], chunks: 2, rows: 20 });
  const pipeline = await writeFakePipeline(dir, {});
  const opts = {
    pipeline,
    chunkRoot: `${dir}/chunks`,
    artifactRoot: `${dir}/art`,
    hostModules: [FAKE_HOST],
  };
  assert.equal((await replay(opts)).exitCode, 0);
  await Deno.mkdir(`${dir}/art/A/deep/er`, { recursive: true });
  const temps = [`${dir}/art/.ledger.json.99.1.tmp`, `${dir}/art/A/deep/er/.scores.csv.99.7.tmp`];
  for (const f of temps) await Deno.writeFile(f, new Uint8Array());
  const s = await replay({ ...opts, resume: true });
  assert.equal(s.exitCode, 0);
  for (const f of temps) assert.equal(await exists(f), false, f);
});
