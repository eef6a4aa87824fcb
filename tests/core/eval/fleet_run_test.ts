import assert from "node:assert/strict";
import { dirname } from "node:path";
import { readAlarms, readEpisodes, runFleetEval } from "../../../core/eval/fleet_run.ts";
import type { ReplayOptions } from "../../../core/replay/replay.ts";
import type { ReplaySummary } from "../../../core/replay/summary.ts";

type Truth = {
  assets: Array<{ name: string }>;
  faults: Array<{ asset: string; kind: string; start: string; end: string }>;
  train_end: string;
};

/** A stand-in replay: checks the chunk layout, then "detects" every fault but the noise bursts. */
async function fakeReplay(o: ReplayOptions): Promise<ReplaySummary> {
  const truth = JSON.parse(await Deno.readTextFile(`${dirname(o.chunkRoot)}/truth.json`)) as Truth;
  for (const a of truth.assets) {
    const names: string[] = [];
    for await (const e of Deno.readDir(`${o.chunkRoot}/${a.name}`)) names.push(e.name);
    assert.deepEqual(names.sort(), Array.from({ length: 8 }, (_, k) => `batch_00${k + 1}.csv`));
    const head = (await Deno.readTextFile(`${o.chunkRoot}/${a.name}/batch_002.csv`)).slice(0, 40);
    assert.match(head, /^timestamp,S01_SPEED_RPM,/);
    const dir = `${o.artifactRoot}/${a.name}`;
    await Deno.mkdir(dir, { recursive: true });
    const mine = truth.faults.filter((f) => f.asset === a.name && f.kind !== "noise");
    let eps = "episode_id,start,end,duration_s\n";
    mine.forEach((f, k) => (eps += `${k + 1},${f.start},${f.end},0\n`));
    // One false episode per asset, in the last hour of the series.
    eps += `${mine.length + 1},2025-03-09T23:00:00,2025-03-09T23:30:00,1800\n`;
    await Deno.writeTextFile(`${dir}/episodes.csv`, eps);
    await Deno.writeTextFile(
      `${dir}/scores.csv`,
      `timestamp,fused,alarm\n${truth.train_end},0,0\n2025-03-09T23:10:00,5,1\n`,
    );
  }
  return { assets: truth.assets.map((a) => ({ asset: a.name, status: "ok" })) } as ReplaySummary;
}

Deno.test("runFleetEval() writes split-layout chunks, reads the episodes back and pools the score", async () => {
  const result = await runFleetEval({ pipeline: "unused.yaml", seeds: [101], replay: fakeReplay });
  const p = result.pooled;
  assert.equal(p.faults, 23);
  assert.equal(p.found, 19); // all but the 4 noise bursts
  assert.equal(p.falseEpisodes, 4);
  assert.equal(p.assetDays, 4 * 49);
  assert.equal(p.medianDelayMs, 0);
  assert.equal(p.byKind.find((k) => k.kind === "noise")!.found, 0);
  assert.equal(p.alarmOutsidePct, 50); // 1 of the 2 rows outside faults is in alarm
  assert.ok(p.verdicts.every((v) => v.fault.asset.startsWith("101/")));
  assert.deepEqual(result.perSeed.map((s) => s.seed), [101]);
});

Deno.test("runFleetEval() stops with the failing assets named when the replay fails", async () => {
  const failing = (o: ReplayOptions) =>
    fakeReplay(o).then((s) => ({
      ...s,
      assets: [{ ...s.assets[0], status: "failed" as const, error: "boom" }],
    }));
  await assert.rejects(
    runFleetEval({ pipeline: "x", seeds: [3], replay: failing }),
    /Cannot score seed 3: replay failed for PUMP_A \(boom\)/,
  );
});

Deno.test("readEpisodes() and readAlarms() read naive and Z timestamps; a missing episodes file is empty", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/e.csv`,
      "episode_id,start,end,kind\n7,2025-01-01T00:00:00Z,2025-01-01 01:00:00,envelope\n",
    );
    const [e] = await readEpisodes(`${dir}/e.csv`, "A");
    assert.deepEqual(e, {
      asset: "A",
      id: 7,
      start: Date.UTC(2025, 0, 1),
      end: Date.UTC(2025, 0, 1, 1),
      kind: "envelope",
    });
    assert.deepEqual(await readEpisodes(`${dir}/none.csv`, "A"), []);
    await Deno.writeTextFile(`${dir}/s.csv`, "timestamp,alarm\n2025-01-01T00:00:00,1\n");
    const a = await readAlarms(`${dir}/s.csv`, "A", [0, 1]);
    assert.deepEqual([...a.alarm], [1]);
    await assert.rejects(readAlarms(`${dir}/none.csv`, "A", [0, 1]), /is missing/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
