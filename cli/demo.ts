/**
 * `acm demo`: generate a synthetic fleet with injected faults, split it, replay it
 * with a worker pool and say how many faults were found.
 * Exit codes: 0 done (whatever was found), 1 the demo could not run or an asset failed, 2 usage.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Command } from "./_command.ts";
import { runDemo } from "../core/synth/demo.ts";
import { formatDemoReport } from "../core/synth/demo_report.ts";

const USAGE = `Usage:
  acm demo [--out DIR] [--max-workers N] [--seed N] [--pipeline FILE]

Generates a small synthetic fleet (PUMP_A, FAN_B, TURBINE_C: 14 days at 5 min, operating
regimes, noise, missing values, a flatlined sensor and 6 injected faults with known times),
splits each asset into a 7-day training chunk and 2-day chunks, replays them with
pipelines/default.yaml (or --pipeline), then prints where the outputs are and which injected
faults were found.

  --out DIR          output folder (default artifacts/demo; replaced on re-run)
  --max-workers N    worker pool size (default 2)
  --seed N           generator seed (default 7)
  --pipeline FILE    pipeline to replay with (default pipelines/default.yaml; try
                     pipelines/drift.yaml, which also finds slow faults)
  -h, --help         this text

Exit codes: 0 done, 1 the demo could not run or an asset failed, 2 usage error.`;

function intFlag(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new TypeError(`--${name} "${value}" must be an integer ≥ ${min}`);
  }
  return Number(value);
}

async function run(args: string[]): Promise<number> {
  let out: string, maxWorkers: number, seed: number, pipeline: string | undefined;
  try {
    const { values: v, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        "max-workers": { type: "string" },
        seed: { type: "string" },
        pipeline: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (v.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new TypeError(`unexpected argument "${positionals[0]}"`);
    out = resolve(v.out ?? "artifacts/demo");
    maxWorkers = intFlag("max-workers", v["max-workers"], 2, 1);
    seed = intFlag("seed", v.seed, 7, 0);
    pipeline = v.pipeline === undefined ? undefined : resolve(v.pipeline);
  } catch (e) {
    console.error(`Cannot run demo: ${(e as Error).message}\n(run "acm demo --help" for usage)`);
    return 2;
  }
  try {
    const result = await runDemo({ out, maxWorkers, pipeline, fleet: { seed } });
    for (const line of formatDemoReport(result)) console.log(line);
    return result.summary.exitCode;
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
}

/** The `demo` command: synthetic fleet → split → replay → faults found. */
const command: Command = {
  name: "demo",
  summary: "Generate a synthetic fleet with injected faults, replay it and report what was found",
  usage: USAGE,
  run,
};

export default command;

if (import.meta.main) Deno.exit(await command.run(Deno.args));
