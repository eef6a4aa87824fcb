/**
 * kill -9 + `--resume` with the real engine and the streaming condition detector
 * (CUSUM statistics, EWMA levels, whitening history and, with model.incremental,
 * the learned residual statistics all ride in the stream checkpoint): whenever the
 * replay is killed, resuming it must give byte-identical outputs.
 */
import assert from "node:assert/strict";
import { createRng } from "../../core/rng.ts";
import { decodeState } from "../../core/state_codec.ts";
import { killAndResume, type KillPlan, runReplay, snapshot } from "../_helpers/replay_cli.ts";

/**
 * Two assets, 6 chunks of 400 ten-minute rows: a = load + noise, b = 2·load, c = −load;
 * c drifts slowly from chunk 2 on, and b steps up by 1.5 in chunk 5 (an episode).
 */
async function writeChunks(root: string): Promise<void> {
  const rng = createRng(11);
  for (const asset of ["A", "B"]) {
    await Deno.mkdir(`${root}/${asset}`, { recursive: true });
    let t = Date.UTC(2024, 0, 1), i = 0;
    for (let k = 1; k <= 6; k++) {
      let text = "timestamp,a,b,c\n";
      for (let r = 0; r < 400; r++, i++, t += 600_000) {
        const load = Math.sin(i / 40) + 0.5 * Math.sin(i / 7);
        const drift = k >= 2 ? 0.0004 * (i - 400) : 0;
        const step = k === 5 && r >= 100 && r < 250 ? 1.5 : 0;
        const v = [
          load + 0.1 * rng.normal(),
          2 * load + 0.1 * rng.normal() + step,
          -load + 0.1 * rng.normal() + drift,
        ];
        text += `${new Date(t).toISOString().slice(0, 19)},${
          v.map((x) => x.toFixed(4)).join(",")
        }\n`;
      }
      await Deno.writeTextFile(`${root}/${asset}/batch_${String(k).padStart(3, "0")}.csv`, text);
    }
  }
}

const PIPELINE = `version: 1
name: condition-resume
seed: 7
source: { id: raw, plugin: csv }
detectors:
  - { id: condition, plugin: condition, inputs: [raw], time_constants_s: [3600] }
fusion: { id: fused, plugin: max_z, inputs: [condition] }
regimes: { enabled: false }
calibration: { cross_fit_folds: 0 }
episodes: { on_z: 4.5, on_hold_rows: 3, off_z: 1.5, off_hold_rows: 5 }
model: { incremental: true }
sinks:
  - { id: csv, plugin: csv }
`;

Deno.test("acm replay with the condition detector killed with SIGKILL then --resume gives byte-identical outputs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_cond_kill_" });
  await writeChunks(`${dir}/c`);
  await Deno.writeTextFile(`${dir}/pipeline.yaml`, PIPELINE);
  const args = (art: string) => [
    "--pipeline",
    `${dir}/pipeline.yaml`,
    "--chunk-root",
    `${dir}/c`,
    "--artifact-root",
    art,
    "--max-workers",
    "2",
  ];
  const ref = await runReplay(args(`${dir}/ref`));
  assert.equal(ref.code, 0, ref.stderr);
  const want = await snapshot(`${dir}/ref`);
  assert.ok(
    want.has("A/scores.csv") && want.has("B/state/batch_006.csv.bin"),
    [...want.keys()].join(" "),
  );
  // the stream checkpoint really carries the condition detector's state and learned state
  const state = decodeState(await Deno.readFile(`${dir}/ref/A/state/batch_006.csv.bin`)) as {
    detectors: { states: Record<string, unknown>; learned: Record<string, { w: Float64Array }> };
  };
  assert.ok(state.detectors.states.condition, "no condition stream state in the checkpoint");
  assert.ok(state.detectors.learned.condition.w instanceof Float64Array, "no learned state");
  const episodes = await Deno.readTextFile(`${dir}/ref/A/episodes.csv`);
  assert.ok(episodes.trim().split("\n").length >= 2, "the step in chunk 5 raises an episode");

  const rng = createRng(5);
  const plans: KillPlan[] = [
    { ledgerEntries: 2 },
    { ledgerEntries: 7 },
    { delayMs: 800 + rng.int(1500) },
    { delayMs: 800 + rng.int(3000) },
  ];
  const interrupted = await killAndResume(dir, args, plans, want, 60_000);
  // the kills happened mid-run (12 chunks in all), not after the end
  assert.ok(interrupted.filter((n) => n > 0 && n < 12).length >= 2, `done at kill: ${interrupted}`);
  await Deno.remove(dir, { recursive: true });
});
