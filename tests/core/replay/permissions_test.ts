import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import { replay } from "../../../core/replay/replay.ts";
import { discoverChunks } from "../../../core/replay/discover.ts";
import { FAKE_HOST, writeFakePipeline, writeFleet } from "../../_helpers/fake_engine.ts";

const FIXTURES = fromFileUrl(new URL("../../fixtures/plugins/", import.meta.url));

Deno.test("replay() workers cannot read /etc/passwd or another asset's chunks; the refusal is reported", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_perm_" });
  const chunks = `${dir}/chunks`;
  await writeFleet(chunks, { assets: ["EVIL"], chunks: 2, rows: 20, sensors: ["a", "trigger"] });
  await writeFleet(chunks, { assets: ["GOOD"], chunks: 2, rows: 20, sensors: ["a", "b"] });
  for (const target of ["/etc/passwd", `${chunks}/GOOD`]) {
    const pipeline = await writeFakePipeline(dir, {
      plugins: { escape: `${FIXTURES}escape_read.ts` },
      detectors: [{ id: "esc", plugin: "escape", paths: [target], trigger_sensor: "trigger" }],
    });
    const s = await replay({
      pipeline,
      chunkRoot: chunks,
      artifactRoot: `${dir}/art`,
      hostModules: [FAKE_HOST],
      maxWorkers: 2,
      clearCache: true,
    });
    const [evil, good] = s.assets;
    assert.equal(evil.status, "failed", `reading ${target}`);
    assert.match(evil.error!, /NotCapable/);
    assert.ok(evil.error!.includes(target), evil.error!);
    assert.equal(evil.failedChunk, "batch_001.csv");
    assert.equal(good.status, "ok");
    assert.equal(good.done, 2);
    assert.equal(s.exitCode, 1);
  }
});

Deno.test("replay() workers cannot write into another asset's artifact directory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_perm_" });
  await writeFleet(`${dir}/chunks`, { assets: ["A"], chunks: 1, rows: 20 });
  await Deno.mkdir(`${dir}/art/B`, { recursive: true });
  const pipeline = await writeFakePipeline(dir, {
    plugins: { esc: `${FIXTURES}escape_write.ts` },
    detectors: [{ id: "esc", plugin: "esc", target: `${dir}/art/B/owned.txt` }],
  });
  const s = await replay({
    pipeline,
    chunkRoot: `${dir}/chunks`,
    artifactRoot: `${dir}/art`,
    hostModules: [FAKE_HOST],
  });
  assert.equal(s.assets[0].status, "failed");
  assert.match(s.assets[0].error!, /NotCapable/);
  assert.equal(await Deno.stat(`${dir}/art/B/owned.txt`).then(() => true, () => false), false);
});

Deno.test("discoverChunks() refuses a chunk that is a symlink resolving outside its asset directory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_perm_" });
  await writeFleet(`${dir}/chunks`, { assets: ["A", "B"], chunks: 1, rows: 5 });
  await Deno.symlink(`${dir}/chunks/B/batch_001.csv`, `${dir}/chunks/A/batch_002.csv`);
  const found = await discoverChunks(`${dir}/chunks`);
  const a = found.assets.find((x) => x.asset === "A")!;
  assert.match(a.error!, /"batch_002\.csv" is a symlink resolving outside .*refused/);
  assert.equal(found.assets.find((x) => x.asset === "B")!.error, undefined);
});

Deno.test("replay() workers cannot follow a directory symlink inside a chunk folder (chunks/A/etclink -> /etc)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_perm_" });
  const chunks = `${dir}/chunks`;
  await writeFleet(chunks, { assets: ["A"], chunks: 1, rows: 20 });
  await Deno.symlink("/etc", `${chunks}/A/etclink`);
  const pipeline = await writeFakePipeline(dir, {
    plugins: { escape: `${FIXTURES}escape_read.ts` },
    detectors: [{ id: "esc", plugin: "escape", paths: [`${chunks}/A/etclink/passwd`] }],
  });
  const s = await replay({
    pipeline,
    chunkRoot: chunks,
    artifactRoot: `${dir}/art`,
    hostModules: [FAKE_HOST],
  });
  assert.equal(s.assets[0].status, "failed");
  assert.match(s.assets[0].error!, /NotCapable/);
});

Deno.test("replay() workers may import a third-party plugin's own helper file (its local import graph is granted)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_perm_" });
  await writeFleet(`${dir}/c`, { assets: ["A"], chunks: 1, rows: 20 });
  const pipeline = await writeFakePipeline(dir, {
    plugins: { helped: `${FIXTURES}with_helper/detector.ts` },
    detectors: [{ id: "helped", plugin: "helped" }],
  });
  const s = await replay({
    pipeline,
    chunkRoot: `${dir}/c`,
    artifactRoot: `${dir}/a`,
    hostModules: [FAKE_HOST],
  });
  assert.equal(s.assets[0].status, "ok", s.assets[0].error ?? "");
  await Deno.remove(dir, { recursive: true });
});
