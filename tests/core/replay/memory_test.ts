/**
 * Runaway memory (issue 15 item 3): each asset runs in its own process with a
 * heap and data limit (core/replay/asset_channel.ts), so the memory-bomb
 * fixture fails only its asset, with the reason in the summary, the ledger and
 * the run manifest, and the other assets finish.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { FAKE_HOST, writeFakePipeline, writeFleet } from "../../_helpers/fake_engine.ts";
import { LEDGER_FILE } from "../../../core/replay/ledger.ts";

const HOSTILE = fileURLToPath(new URL("../../fixtures/plugins/hostile/", import.meta.url));
const CLI = fileURLToPath(new URL("../../../cli/replay.ts", import.meta.url));

async function runBomb(mode: "heap" | "buffer", extra: string[] = []) {
  const dir = await Deno.makeTempDir({ prefix: "acm_memory_" });
  await writeFleet(`${dir}/c`, { assets: ["BOMB"], chunks: 2, rows: 20, sensors: ["a", "boom"] });
  await writeFleet(`${dir}/c`, { assets: ["OK"], chunks: 2, rows: 20 });
  const pipeline = await writeFakePipeline(dir, {
    plugins: { bomb: `${HOSTILE}memory_bomb.ts` },
    detectors: [{ id: "bomb", plugin: "bomb", trigger_sensor: "boom", mode }],
  });
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", "--allow-run=sh", CLI]
      .concat(["--pipeline", pipeline, "--chunk-root", `${dir}/c`, "--artifact-root", `${dir}/a`])
      .concat(["--host-module", FAKE_HOST, "--max-workers", "2", "--json", `${dir}/s.json`])
      .concat(extra),
    stdout: "null",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  const summary = JSON.parse(await Deno.readTextFile(`${dir}/s.json`).catch(() => "null"));
  return { dir, code: out.code, stderr, summary };
}

Deno.test("acm replay: a plugin that exhausts the JS heap fails only its asset, recorded in summary, ledger and manifest", async () => {
  const t0 = performance.now();
  const { dir, code, stderr, summary } = await runBomb("heap", ["--asset-memory-mb", "256"]);
  assert.equal(code, 1, stderr);
  assert.ok(summary, `no summary was written:\n${stderr}`);
  const [bomb, ok] = summary.assets;
  assert.equal(bomb.status, "failed");
  assert.match(bomb.error, /ran out of memory: .*JS heap limit of 256 MiB/);
  assert.equal(bomb.failed_chunk ?? bomb.failedChunk, "batch_001.csv");
  assert.equal(bomb.blocked, 1);
  assert.equal(ok.status, "ok");
  assert.equal(ok.done, 2);
  const ledger = JSON.parse(await Deno.readTextFile(`${dir}/a/${LEDGER_FILE}`));
  const entry = ledger.assets.BOMB.chunks.find((c: { file: string }) => c.file === "batch_001.csv");
  assert.equal(entry.status, "failed");
  assert.match(entry.error, /ran out of memory/);
  const runs = [...Deno.readDirSync(`${dir}/a/runs`)].map((e) => e.name);
  const manifest = JSON.parse(await Deno.readTextFile(`${dir}/a/runs/${runs[0]}`));
  const m = manifest.assets.find((a: { asset: string }) => a.asset === "BOMB");
  assert.match(JSON.stringify(m), /ran out of memory/);
  assert.equal(manifest.options.asset_memory_mb, 256);
  assert.ok(performance.now() - t0 < 120_000);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("acm replay: a 6 GiB ArrayBuffer is refused by the asset's data limit, naming the option", async () => {
  const { dir, code, stderr, summary } = await runBomb("buffer");
  assert.equal(code, 1, stderr);
  const [bomb, ok] = summary.assets;
  assert.equal(bomb.status, "failed");
  assert.match(
    bomb.error,
    /Array buffer allocation failed.*at most 5120 MiB of data: --asset-memory-mb 2048/,
  );
  assert.equal(ok.status, "ok");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("acm replay without --allow-run=sh runs assets in-process and says there is no memory limit", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_memory_" });
  await writeFleet(`${dir}/c`, { assets: ["OK"], chunks: 1, rows: 20 });
  const pipeline = await writeFakePipeline(dir, {});
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", CLI, "--pipeline", pipeline]
      .concat(["--chunk-root", `${dir}/c`, "--artifact-root", `${dir}/a`])
      .concat(["--host-module", FAKE_HOST]),
    stdout: "null",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.match(stderr, /assets run without a memory limit .*--allow-run=sh/);
  await Deno.remove(dir, { recursive: true });
});
