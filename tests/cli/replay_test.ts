import assert from "node:assert/strict";
import command, { normalizeArgs } from "../../cli/replay.ts";
import { LEDGER_FILE } from "../../core/replay/ledger.ts";
import { createRng } from "../../core/rng.ts";
import { FAKE_HOST, writeFakePipeline, writeFleet } from "../_helpers/fake_engine.ts";
import { defaultWithSinks, synthChunks } from "../_helpers/synth_chunks.ts";
import {
  killAndResume,
  type KillPlan,
  runReplay,
  snapshot,
  spawnReplay,
} from "../_helpers/replay_cli.ts";

const SHARED = "/work/shared/acm_data/chunked";
const hasShared = await Deno.stat(SHARED).then(() => true, () => false);

Deno.test("normalizeArgs() accepts --equip A B and unwraps --acm-args --", () => {
  assert.deepEqual(
    normalizeArgs(["--equip", "A", "B", "--resume", "--acm-args", "--", "--enable-report"]),
    [
      "--equip=A",
      "--equip=B",
      "--resume",
      "--enable-report",
    ],
  );
});

Deno.test("acm replay --help exits 0 and an unknown flag exits 2", async () => {
  assert.equal(await command.run(["--help"]), 0);
  assert.equal(await command.run(["--frobnicate"]), 2);
  assert.equal(await command.run(["--max-workers", "zero"]), 2);
});

Deno.test("acm replay with an unknown --equip exits 2 naming the assets that exist", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_cli_" });
  await writeFleet(`${dir}/c`, { assets: ["FD_FAN"], chunks: 1, rows: 10 });
  const pipeline = await writeFakePipeline(dir, {});
  const r = await runReplay([
    "--pipeline",
    pipeline,
    "--chunk-root",
    `${dir}/c`,
    "--artifact-root",
    `${dir}/a`,
    "--equip",
    "FD_FAM",
    "--host-module",
    FAKE_HOST,
  ]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /"FD_FAM" \(did you mean "FD_FAN"\?\).*assets found: "FD_FAN"/);
});

Deno.test("acm replay --dry-run prints the plan and leaves the artifact root untouched", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_cli_" });
  await writeFleet(`${dir}/c`, { assets: ["A"], chunks: 2, rows: 10 });
  const pipeline = await writeFakePipeline(dir, {});
  const r = await runReplay([
    "--pipeline",
    pipeline,
    "--chunk-root",
    `${dir}/c`,
    "--artifact-root",
    `${dir}/a`,
    "--dry-run",
    "--host-module",
    FAKE_HOST,
    "--acm-args",
    "--",
    "--config-override",
    "model.keep_versions=2",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /1\/2 {2}batch_001\.csv {2}bootstrap → train model v1 \(no model yet\), then score/,
  );
  assert.match(r.stdout, /2\/2 {2}batch_002\.csv {2}score with model v1/);
  assert.equal(await Deno.stat(`${dir}/a`).then(() => true, () => false), false);
});

Deno.test("acm replay --resume of a finished asset prunes model versions a kill left behind", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_prune_" });
  await writeFleet(`${dir}/c`, { assets: ["A"], chunks: 6, rows: 400 });
  const pipeline = await writeFakePipeline(dir, { model: { incremental: true, keep_versions: 3 } });
  const args = [
    "--pipeline",
    pipeline,
    "--chunk-root",
    `${dir}/c`,
    "--artifact-root",
    `${dir}/a`,
    "--host-module",
    FAKE_HOST,
  ];
  assert.equal((await runReplay(args)).code, 0);
  const want = await snapshot(`${dir}/a`);
  // As if killed after the last chunk's ledger entry, before it pruned: an old version remains.
  const models = `${dir}/a/A/models`;
  const versions = [...Deno.readDirSync(models)].map((e) => Number(e.name.slice(1))).sort((a, b) =>
    a - b
  );
  const stale = `${models}/v${versions[0] - 1}`;
  await Deno.mkdir(stale);
  await Deno.copyFile(`${models}/v${versions[0]}/state.bin`, `${stale}/state.bin`);
  const resumed = await runReplay([...args, "--resume"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual([...(await snapshot(`${dir}/a`)).keys()].sort(), [...want.keys()].sort());
  await Deno.remove(dir, { recursive: true });
});

Deno.test("acm replay killed with SIGKILL at any moment then --resume gives byte-identical outputs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_kill_" });
  await writeFleet(`${dir}/c`, { assets: ["A", "B"], chunks: 6, rows: 400 });
  const pipeline = await writeFakePipeline(dir, { model: { incremental: true, keep_versions: 3 } });
  const args = (art: string) => [
    "--pipeline",
    pipeline,
    "--chunk-root",
    `${dir}/c`,
    "--artifact-root",
    art,
    "--host-module",
    FAKE_HOST,
    "--max-workers",
    "2",
  ];
  const ref = await runReplay(args(`${dir}/ref`));
  assert.equal(ref.code, 0, ref.stderr);
  const want = await snapshot(`${dir}/ref`);
  assert.ok(want.has("A/scores.csv") && want.has("B/state/batch_006.csv.bin"));

  const rng = createRng(99);
  const plans: KillPlan[] = [
    { ledgerEntries: 1 },
    { ledgerEntries: 5 },
    { delayMs: 300 + rng.int(900) },
    { delayMs: 300 + rng.int(1500) },
  ];
  const interrupted = await killAndResume(dir, args, plans, want, 20_000);
  // The kills really happened mid-run (12 chunks in all), not after the end.
  assert.ok(interrupted.filter((n) => n < 12).length >= 2, `done at kill: ${interrupted}`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test({
  name: "acm replay runs the real engine on the FD_FAN and GAS_TURBINE sample chunks",
  ignore: !hasShared,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "acm_real_" });
    // The V8 ensemble: its FD_FAN/GAS_TURBINE episodes are known (README "Accuracy"), so the
    // JSON's per-asset episode state has something to check.
    const r = await runReplay([
      "--pipeline",
      new URL("../../pipelines/acm_v8.yaml", import.meta.url).pathname,
      "--chunk-root",
      SHARED,
      "--equip",
      "FD_FAN",
      "GAS_TURBINE",
      "--artifact-root",
      dir,
      "--max-workers",
      "2",
      "--json",
      "-",
    ]);
    assert.equal(r.code, 0, r.stderr);
    // --json -: stdout is exactly one JSON document; progress lines went to stderr.
    const summary = JSON.parse(r.stdout);
    assert.deepEqual(
      summary.assets.map((a: { asset: string; done: number }) => [a.asset, a.done]),
      [
        ["FD_FAN", 5],
        ["GAS_TURBINE", 5],
      ],
    );
    const scores = (await Deno.readTextFile(`${dir}/GAS_TURBINE/scores.csv`)).trim().split("\n");
    assert.equal(scores.length, 1 + summary.assets[1].rows);
    assert.match(
      scores[0],
      /^timestamp,.*_z,.*fused,alarm,health,regime,envelope,transient,top_head,culprit,signature$/,
    );
    assert.match(
      r.stderr,
      /FD_FAN: chunk 2\/5 \(score\) -> FD FAN_batch_2\.csv — 3,502 rows, model v1/,
    );
    for (const a of summary.assets) {
      const episodes = (await Deno.readTextFile(`${dir}/${a.asset}/episodes.csv`)).trim()
        .split("\n").length - 1;
      assert.equal(a.state.episodes.length, episodes, a.asset);
      assert.ok(a.state.episodes.length > 0, `${a.asset} has episodes`);
      assert.deepEqual(
        a.state.openEpisodes.map((e: { episode_id: number }) => e.episode_id),
        a.state.episodes.filter((e: { open: boolean }) => e.open).map((
          e: { episode_id: number },
        ) => e.episode_id),
      );
      assert.ok(["ALERT", "WATCH", "GOOD"].includes(a.state.status), a.state.status);
      assert.equal(typeof a.state.health, "number");
      assert.match(a.state.lastTimestamp, /^\d{4}-\d\d-\d\d/);
    }
    const again = await runReplay([
      "--chunk-root",
      SHARED,
      "--equip",
      "FD_FAN",
      "--artifact-root",
      dir,
      "--resume",
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /chunk 5\/5 \(skipped, done\)/);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test("acm replay ends (exit 1) when a worker spins past --chunk-timeout; the other asset completes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_spin_" });
  await writeFleet(`${dir}/c`, { assets: ["A", "B"], chunks: 2, rows: 10 });
  await Deno.rename(`${dir}/c/B/batch_002.csv`, `${dir}/c/B/other_002.csv`);
  const pipeline = await writeFakePipeline(dir, { fake: { spin_chunk: "batch_002.csv" } });
  const t0 = Date.now();
  const r = await runReplay([
    "--pipeline",
    pipeline,
    "--chunk-root",
    `${dir}/c`,
    "--artifact-root",
    `${dir}/a`,
    "--host-module",
    FAKE_HOST,
    "--max-workers",
    "2",
    "--chunk-timeout",
    "1",
    "--json",
    `${dir}/s.json`,
  ]);
  assert.equal(r.code, 1);
  assert.ok(Date.now() - t0 < 60_000);
  const s = JSON.parse(await Deno.readTextFile(`${dir}/s.json`));
  assert.deepEqual(s.assets.map((a: { status: string }) => a.status), ["failed", "ok"]);
  assert.match(
    r.stderr,
    /A: chunk batch_002\.csv failed: chunk batch_002\.csv did not finish within 1 s/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("acm replay on SIGINT writes an interrupted run manifest, exits 130 and prints the resume command", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_sigint_" });
  await writeFleet(`${dir}/c`, { assets: ["A", "B"], chunks: 4, rows: 50 });
  // Chunk 3 never finishes, so the run is surely still going when the signal comes.
  const pipeline = await writeFakePipeline(dir, { fake: { hang_chunk: "batch_003.csv" } });
  const art = `${dir}/a`;
  const args = [
    "--pipeline",
    pipeline,
    "--chunk-root",
    `${dir}/c`,
    "--artifact-root",
    art,
    "--host-module",
    FAKE_HOST,
    "--max-workers",
    "2",
  ];
  const child = spawnReplay(args);
  const t0 = Date.now();
  while (Date.now() - t0 < 30_000) {
    const text = await Deno.readTextFile(`${art}/${LEDGER_FILE}`).catch(() => "");
    if ((text.match(/"status": "done"/g) ?? []).length >= 4) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill("SIGINT");
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 130, stderr);
  assert.match(stderr, /interrupted — writing the run manifest/);
  assert.match(stderr, /\[INTERRUPTED\] Chunk replay stopped after 200 rows/);
  const resume = /Resume with:\n {2}(.+)/.exec(stderr)?.[1];
  assert.ok(resume, stderr);
  assert.ok(resume.startsWith("deno task acm replay --pipeline ") && resume.endsWith(" --resume"));
  assert.ok(resume.includes(`--artifact-root ${art}`), resume);
  const runs = [...Deno.readDirSync(`${art}/runs`)].map((e) => e.name);
  assert.equal(runs.length, 1);
  const manifest = JSON.parse(await Deno.readTextFile(`${art}/runs/${runs[0]}`));
  assert.equal(manifest.status, "interrupted");
  assert.equal(manifest.exit_code, 130);
  assert.deepEqual(manifest.assets.map((a: { done: number }) => a.done), [2, 2]);
  // The printed command (as a dry run) keeps the two chunks done per asset.
  const words = resume.split(" ").slice(4);
  const plan = await runReplay([...words, "--dry-run"]);
  assert.equal(plan.code, 0, plan.stderr);
  assert.equal((plan.stdout.match(/skip \(done/g) ?? []).length, 4, plan.stdout);
  await Deno.remove(dir, { recursive: true });
});

const SMALL_PIPELINE = `version: 1
name: small
source: { id: raw, plugin: csv }
detectors:
  - { id: mahalanobis, plugin: mahalanobis, inputs: [raw] }
fusion: { id: fused, plugin: max_z, inputs: [mahalanobis] }
sinks:
  - { id: csv, plugin: csv }
`;

Deno.test("acm replay --sink adds built-in sinks for the run and refuses unknown names with the list", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_cli_sink_" });
  try {
    await writeFleet(`${dir}/chunks`, { assets: ["A"], chunks: 2, rows: 400 });
    await Deno.writeTextFile(`${dir}/small.yaml`, SMALL_PIPELINE);
    const args = [
      "--pipeline",
      `${dir}/small.yaml`,
      "--chunk-root",
      `${dir}/chunks`,
      "--artifact-root",
      `${dir}/art`,
    ];
    const bad = await runReplay([...args, "--sink", "parquet"]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /Cannot add sink "parquet": --sink takes one of csv, jsonl, sqlite, report/,
    );
    const r = await runReplay([...args, "--sink", "jsonl", "--sink", "report", "--sink", "csv"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout + r.stderr,
      /--sink: added sink\(s\) jsonl, report for this run .*; sink\(s\) csv already in the pipeline/,
    );
    for (const f of ["scores.csv", "scores.jsonl", "report.html"]) {
      assert.ok((await Deno.stat(`${dir}/art/A/${f}`)).isFile, f);
    }
    const runs = [...Deno.readDirSync(`${dir}/art/runs`)].map((e) => e.name);
    const manifest = JSON.parse(await Deno.readTextFile(`${dir}/art/runs/${runs[0]}`));
    assert.deepEqual(manifest.options.sinks, ["jsonl", "report", "csv"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("acm replay with the real engine in one reused worker, killed with SIGKILL then --resume, gives byte-identical outputs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_kill_real_" });
  await synthChunks(dir, { assets: 3, chunkDays: 1 });
  await defaultWithSinks(dir);
  const args = (art: string) => [
    "--pipeline",
    `${dir}/pipeline.yaml`,
    "--chunk-root",
    `${dir}/chunks`,
    "--artifact-root",
    art,
    "--verbose",
  ];
  const ref = await runReplay(args(`${dir}/ref`));
  assert.equal(ref.code, 0, ref.stderr);
  assert.match(ref.stdout + ref.stderr, /runs in worker 1 \(reused\)/);
  const want = await snapshot(`${dir}/ref`);
  const plans: KillPlan[] = [{ ledgerEntries: 2 }, { ledgerEntries: 7 }, { ledgerEntries: 11 }];
  const interrupted = await killAndResume(dir, args, plans, want, 60_000);
  assert.ok(interrupted.filter((n) => n < 15).length >= 2, `done at kill: ${interrupted}`);
  await Deno.remove(dir, { recursive: true });
});
