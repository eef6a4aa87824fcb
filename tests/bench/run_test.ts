import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

Deno.test("bench/run.ts --quick --skip-peer prints the tables and writes results JSON", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_bench_test_" });
  try {
    const results = `${dir}/results.json`;
    const r = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--config=${REPO}/deno.json`,
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-run",
        "--allow-sys",
        // as `deno task bench`: the queue section talks to a local PostgreSQL when one is set
        "--allow-net=127.0.0.1,localhost",
        `${REPO}/bench/run.ts`,
        "--quick",
        "--skip-peer",
        "--results",
        results,
        "--out",
        `${dir}/out`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(r.stdout);
    assert.ok(r.success, `exit ${r.code}\n${new TextDecoder().decode(r.stderr)}`);
    assert.match(stdout, /peer skipped: --skip-peer given/);
    assert.match(stdout, /\| profile +\| sensors × rows\/chunk +\| train rows\/s/);
    assert.match(stdout, /\| small +\| 10 × 600 /);
    assert.match(stdout, /## Cost growth/);
    assert.match(stdout, /## Issue-3 check/);
    assert.doesNotMatch(stdout, /Side by side/);

    const json = JSON.parse(await Deno.readTextFile(results));
    assert.equal(json.quick, true);
    assert.equal(json.machine.nproc, navigator.hardwareConcurrency);
    assert.equal(json.profiles.length, 1);
    const ours = json.profiles[0].ours;
    assert.equal(ours.rows, 2400);
    assert.equal(ours.scored_rows, 1800);
    assert.ok(ours.train_s > 0 && ours.score_s > 0 && ours.total_s >= ours.train_s);
    assert.ok(ours.peak_rss_mb > ours.baseline_rss_mb * 0.5);
    assert.equal(json.profiles[0].peer, null);
    assert.deepEqual(
      json.growth.map((g: { axis: string; factor: number }) => `${g.axis}${g.factor}`),
      [
        "rows1",
        "rows2",
        "rows4",
        "sensors1",
        "sensors2",
        "sensors4",
      ],
    );
    assert.ok(
      json.check.ours.fit_timings["fit:condition"] > 0 &&
        json.check.ours.score_timings["score:condition"] > 0,
    );
    assert.ok(Array.isArray(json.workers.runs));
    // fleet section: ours only (--skip-peer), one run per --quick worker count (1, 2)
    assert.match(stdout, /## Fleet replay \(issue 14\): 2 assets/);
    assert.match(stdout, /\| acm \(default\) +\| +1 \|/);
    assert.match(stdout, /Stages of acm \(default\), 1 worker/);
    const fleet = json.fleet.runs as { program: string; workers: number; rows: number }[];
    assert.deepEqual(
      fleet.map((r) => `${r.program}/${r.workers}`),
      [
        "acm (default)/1",
        "acm (default, peer's outputs)/1",
        "acm (acm_v8)/1",
        "acm (default)/2",
        "acm (default, peer's outputs)/2",
        "acm (acm_v8)/2",
      ],
    );
    assert.ok(fleet.every((r) => r.rows === json.fleet.fleet.rows));
    assert.doesNotMatch(stdout, /Stages of acm \(default, peer's outputs\)/);
    // the peer's-outputs run writes the csv sink alone: no SQLite store, no report
    const lean = `${dir}/out/fleet/artifacts_default_lean_w1`;
    const leanFiles = [...Deno.readDirSync(lean)].map((e) => e.name);
    assert.ok(!leanFiles.includes("acm.sqlite"), leanFiles.join(", "));
    assert.ok(leanFiles.length > 0);
    // the chunks and both runs' outputs landed under --out
    const scores = await Deno.readTextFile(`${dir}/out/profiles/small/ours/scores.csv`);
    assert.equal(scores.split("\n")[0], "timestamp,fused,alarm");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
