import assert from "node:assert/strict";
import { replay } from "../../../core/replay/replay.ts";
import { defaultWithSinks, synthChunks } from "../../_helpers/synth_chunks.ts";

/** One synthetic asset in a bootstrap chunk and 2-day chunks, replayed once with the csv sink. */
async function replayed() {
  const dir = await Deno.makeTempDir({ prefix: "acm_verify_" });
  const { assets: [asset] } = await synthChunks(dir, { assets: 1 });
  await defaultWithSinks(dir);
  const opts = {
    pipeline: `${dir}/pipeline.yaml`,
    chunkRoot: `${dir}/chunks`,
    artifactRoot: `${dir}/art`,
  };
  const first = await replay(opts);
  assert.equal(first.exitCode, 0);
  return { dir, opts, assetDir: `${dir}/art/${asset}` };
}

Deno.test("replay() --resume rebuilds a deleted scores.csv from its parts when no chunk is new", async () => {
  const { dir, opts, assetDir } = await replayed();
  const want = await Deno.readTextFile(`${assetDir}/scores.csv`);
  await Deno.remove(`${assetDir}/scores.csv`);
  const s = await replay({ ...opts, resume: true });
  assert.equal(s.exitCode, 0);
  assert.equal(await Deno.readTextFile(`${assetDir}/scores.csv`), want);
  assert.match(s.warnings.join("\n"), /rebuilt .*scores\.csv/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("replay() --resume names a deleted part file and the command that rebuilds it", async () => {
  const { dir, opts, assetDir } = await replayed();
  const parts = `${assetDir}/.parts/csv`;
  const victim = [...Deno.readDirSync(parts)].map((e) => e.name).find((n) =>
    n.endsWith(".scores.csv")
  )!;
  await Deno.remove(`${parts}/${victim}`);
  const s = await replay({ ...opts, resume: true });
  assert.equal(s.exitCode, 1);
  const a = s.assets[0];
  assert.equal(a.status, "failed");
  assert.ok(a.error!.includes(victim), a.error!);
  assert.match(a.error!, /--clear-cache/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("replay() --resume names a deleted expected.csv, which holds the only copy of its parts", async () => {
  const { dir, opts, assetDir } = await replayed();
  const parts = [...Deno.readDirSync(`${assetDir}/.parts/csv`)].map((e) => e.name);
  assert.ok(parts.some((n) => n.endsWith(".expected.csv.ref.json")), "parts kept in expected.csv");
  assert.ok(!parts.some((n) => n.endsWith(".expected.csv")), "no second copy");
  await Deno.remove(`${assetDir}/expected.csv`);
  const s = await replay({ ...opts, resume: true });
  assert.equal(s.exitCode, 1);
  const a = s.assets[0];
  assert.equal(a.status, "failed");
  assert.ok(a.error!.includes(`${assetDir}/expected.csv`), a.error!);
  assert.match(a.error!, /--clear-cache/);
  await Deno.remove(dir, { recursive: true });
});
