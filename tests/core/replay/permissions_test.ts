import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import { replay } from "../../../core/replay/replay.ts";
import { discoverChunks } from "../../../core/replay/discover.ts";
import {
  builtInOnly,
  coversPermissions,
  outerPermissions,
  unionPermissions,
} from "../../../core/replay/permissions.ts";
import type { AssetJob } from "../../../core/replay/asset_runner.ts";
import { loadPipeline } from "../../../core/pipeline/load.ts";
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

Deno.test("builtInOnly() is true for the shipped pipelines and false with a third-party plugin", async () => {
  for (const name of ["default", "acm_v8", "skab"]) {
    const file = fromFileUrl(new URL(`../../../pipelines/${name}.yaml`, import.meta.url));
    assert.equal(builtInOnly(await loadPipeline(file)), true, name);
  }
  const dir = await Deno.makeTempDir({ prefix: "acm_perm_" });
  try {
    const cusum = fromFileUrl(new URL("../../../examples/plugins/cusum.ts", import.meta.url));
    const text = (await Deno.readTextFile(
      fromFileUrl(new URL("../../../pipelines/default.yaml", import.meta.url)),
    ))
      .replace("plugins: {}", `plugins:\n  cusum: ${cusum}`)
      .replace("detectors:\n", "detectors:\n  - { id: cusum, plugin: cusum, inputs: [raw] }\n")
      .replace("inputs: [condition]", "inputs: [condition, cusum]");
    await Deno.writeTextFile(`${dir}/p.yaml`, text);
    assert.equal(builtInOnly(await loadPipeline(`${dir}/p.yaml`)), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unionPermissions() joins the lists; outerPermissions() grants chunk folders for chunk files", () => {
  const a = {
    read: ["/c/A/1.csv", "/c/A/2.csv", "/art/A", "/code"],
    write: ["/art/A"],
    env: ["X"],
  };
  const b = { read: ["/c/B/1.csv", "/art/B", "/code"], write: ["/art/B"], env: ["X"], net: false };
  const u = unionPermissions([a, b]);
  assert.deepEqual(u.read, ["/c/A/1.csv", "/c/A/2.csv", "/art/A", "/code", "/c/B/1.csv", "/art/B"]);
  assert.deepEqual(u.write, ["/art/A", "/art/B"]);
  assert.deepEqual(u.env, ["X"]);
  assert.equal(u.net, false);
  assert.deepEqual([u.run, u.ffi, u.sys, u.import], [false, false, false, false]);
  const jobs = [
    { chunks: [{ name: "1.csv", path: "/c/A/1.csv" }, { name: "2.csv", path: "/c/A/2.csv" }] },
    { chunks: [{ name: "1.csv", path: "/c/B/1.csv" }] },
  ] as AssetJob[];
  const o = outerPermissions(u, jobs);
  assert.deepEqual(o.read, ["/c/A", "/art/A", "/code", "/c/B", "/art/B"]);
  assert.deepEqual(o.write, u.write);
});

Deno.test("coversPermissions() holds when every path lies inside a granted one and nothing else is asked", () => {
  const have = {
    read: ["/c", "/cache", "/code/core"],
    write: ["/cache"],
    env: ["LOG_TOKENS"],
    net: false,
    run: false,
  } as Deno.PermissionOptionsObject;
  const want = (o: Partial<Deno.PermissionOptionsObject>) =>
    ({
      read: ["/c/A/1.csv", "/cache/A"],
      write: ["/cache/A"],
      env: ["LOG_TOKENS"],
      ...o,
    }) as Deno.PermissionOptionsObject;
  assert.equal(coversPermissions(have, want({})), true);
  assert.equal(coversPermissions(have, want({ read: ["/c"] })), true);
  assert.equal(coversPermissions(have, want({ read: ["/cx/A/1.csv"] })), false, "a sibling prefix");
  assert.equal(coversPermissions(have, want({ write: ["/c/A"] })), false);
  assert.equal(coversPermissions(have, want({ env: ["HOME"] })), false);
  assert.equal(coversPermissions(have, want({ net: ["example.com:443"] })), false);
  assert.equal(coversPermissions(have, want({ run: true })), false);
});
