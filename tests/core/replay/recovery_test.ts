/** Corrupt replay state gives an error with the command that recovers (issue 15 item 9). */
import assert from "node:assert/strict";
import { replay } from "../../../core/replay/replay.ts";
import { FAKE_HOST, writeFakePipeline, writeFleet } from "../../_helpers/fake_engine.ts";

async function doneOnce() {
  const dir = await Deno.makeTempDir({ prefix: "acm_recover_" });
  await writeFleet(`${dir}/c`, { assets: ["A"], chunks: 2, rows: 20 });
  const opts = {
    pipeline: await writeFakePipeline(dir, {}),
    chunkRoot: `${dir}/c`,
    artifactRoot: `${dir}/a`,
    hostModules: [FAKE_HOST],
  };
  assert.equal((await replay(opts)).exitCode, 0);
  // A third chunk arrives, so --resume must load the model and the stream checkpoint.
  await writeFleet(`${dir}/c3`, { assets: ["A"], chunks: 3, rows: 20 });
  await Deno.copyFile(`${dir}/c3/A/batch_003.csv`, `${dir}/c/A/batch_003.csv`);
  return { dir, opts: { ...opts, resume: true } };
}

Deno.test("replay() --resume with a corrupt model manifest names the file and the --clear-cache command", async () => {
  const { dir, opts } = await doneOnce();
  const models = [...Deno.readDirSync(`${dir}/a/A/models`)].map((e) => e.name).sort();
  await Deno.writeTextFile(`${dir}/a/A/models/${models.at(-1)}/manifest.json`, '{"vers');
  const s = await replay(opts);
  assert.equal(s.assets[0].status, "failed");
  assert.match(s.assets[0].error!, /manifest\.json/);
  assert.match(s.assets[0].error!, /acm replay --equip A --clear-cache/);
});

Deno.test("replay() --resume with a truncated stream checkpoint names the file and the --clear-cache command", async () => {
  const { dir, opts } = await doneOnce();
  const state = `${dir}/a/A/state`;
  const ckpt = [...Deno.readDirSync(state)].map((e) => e.name).filter((n) => n.endsWith(".bin"))
    .sort().at(-1)!;
  const bytes = await Deno.readFile(`${state}/${ckpt}`);
  await Deno.writeFile(`${state}/${ckpt}`, bytes.slice(0, bytes.length >> 1));
  const s = await replay(opts);
  assert.equal(s.assets[0].status, "failed");
  assert.ok(s.assets[0].error!.includes(ckpt), s.assets[0].error!);
  assert.match(s.assets[0].error!, /acm replay --equip A --clear-cache/);
});
