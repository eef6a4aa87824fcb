/**
 * The hostile-plugin corpus (tests/fixtures/plugins/hostile/, expected outcome
 * written in each file and in its README) run through a real replay.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { replay } from "../../../core/replay/replay.ts";
import { FAKE_HOST, writeFakePipeline, writeFleet } from "../../_helpers/fake_engine.ts";

const HOSTILE = fileURLToPath(new URL("../../fixtures/plugins/hostile/", import.meta.url));
const CLI = fileURLToPath(new URL("../../../cli/replay.ts", import.meta.url));

Deno.test("acm replay with a busy-looping plugin fails that asset on the chunk timeout, finishes the others and exits", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_hostile_" });
  await writeFleet(`${dir}/c`, { assets: ["LOOP"], chunks: 2, rows: 20, sensors: ["a", "spin"] });
  await writeFleet(`${dir}/c`, { assets: ["OK"], chunks: 2, rows: 20 });
  const pipeline = await writeFakePipeline(dir, {
    plugins: { busy: `${HOSTILE}busy_loop.ts` },
    detectors: [{ id: "busy", plugin: "busy", trigger_sensor: "spin" }],
  });
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", CLI, "--pipeline", pipeline]
      .concat(["--chunk-root", `${dir}/c`, "--artifact-root", `${dir}/a`, "--host-module"])
      .concat([FAKE_HOST, "--max-workers", "2", "--chunk-timeout", "2", "--json", `${dir}/s.json`]),
    stdout: "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - t0) / 1000;
  assert.equal(out.code, 1, new TextDecoder().decode(out.stderr));
  assert.ok(seconds < 60, `took ${seconds} s`);
  const summary = JSON.parse(await Deno.readTextFile(`${dir}/s.json`));
  const [loop, ok] = summary.assets;
  assert.equal(loop.status, "failed");
  assert.match(loop.error, /did not finish within 2 s/);
  assert.equal(loop.blocked, 1);
  assert.equal(ok.status, "ok");
  assert.equal(ok.done, 2);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("replay() workers import a plugin whose top-level code reads /etc/passwd under the narrowed permissions", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_hostile_" });
  await writeFleet(`${dir}/c`, { assets: ["A"], chunks: 1, rows: 20 });
  const pipeline = await writeFakePipeline(dir, {
    plugins: { top: `${HOSTILE}top_level_read.ts` },
    detectors: [{ id: "top", plugin: "top" }],
  });
  const s = await replay({
    pipeline,
    chunkRoot: `${dir}/c`,
    artifactRoot: `${dir}/a`,
    hostModules: [FAKE_HOST],
  });
  // fit() throws when the import-time read inside the worker succeeded.
  assert.equal(s.assets[0].status, "ok", s.assets[0].error ?? "");
  await Deno.remove(dir, { recursive: true });
});
