/**
 * `acm eval fleet`: generates labelled fleets (one per seed), replays their chunks
 * through a pipeline and scores the episodes against the injected faults
 * (core/eval/fleet_run.ts). Private to cli/eval.ts, which dispatches to it.
 */
import { fileURLToPath } from "node:url";
import { type Command, EXIT, EXIT_CODES_HELP } from "./_command.ts";
import { parseCommandArgs, stringList, usageError } from "./_args.ts";
import { loadPipeline } from "../core/pipeline/load.ts";
import { withPluginIsolation } from "../core/pipeline/plugin_sandbox.ts";
import {
  DEFAULT_GRACE_MS,
  HELD_OUT_SEEDS,
  runFleetEval,
  TUNING_SEEDS,
} from "../core/eval/fleet_run.ts";
import { fleetResultJson, formatFleetResult } from "../core/eval/fleet_report.ts";
import { LABELLED_SCENARIOS, type LabelledScenario } from "../core/synth/labelled_fleet.ts";

/** Usage text of `acm eval fleet`. */
export const FLEET_USAGE = `Usage:
  acm eval fleet [--pipeline FILE] [--seeds 101,102] [--set key=value]... [--grace-h H]
                 [--scenario standard|process_shift|seasonal_drift]
                 [--max-workers N] [--keep DIR] [--json FILE|-]

Generates one labelled fleet per seed (4 rotating machines with 9, 16, 24 and 40 sensors,
1-minute data, a 14-day fault-free training chunk, then 7 weekly chunks with 23 injected faults:
slow drift, step, stuck sensor, gain/correlation break, noise burst), writes the chunks as
\`acm split\` lays them out, replays them through the pipeline and scores the episodes.

A fault is found when an episode of its asset overlaps [fault start, fault end + grace); its
delay is the first such episode's start − fault start (≥ 0). Episodes overlapping no fault are
false episodes (per 30 asset-days of scored time). "Alarm outside faults" is the share of
scored rows outside every fault window (+ grace) that are in alarm.

Seeds ${TUNING_SEEDS.join(", ")} are for tuning; report on the held-out seeds ${
  HELD_OUT_SEEDS.join(", ")
}.

  --pipeline FILE    pipeline to evaluate (default: pipelines/default.yaml)
  --seeds LIST       comma-separated seeds (default: ${HELD_OUT_SEEDS.join(",")})
  --set key=value    override a pipeline value (repeatable)
  --scenario NAME    standard (default); process_shift (adds up to 4 faults that move the whole
                     process to a new state, in fault-free machine-weeks); seasonal_drift (the
                     ambient rises 3 °C a week and every temperature baseline drifts 0.4–0.8 σ a
                     week after training: normal slow change, not labelled)
  --grace-h H        grace after a fault's end, hours (default ${DEFAULT_GRACE_MS / 3_600_000})
  --max-workers N    assets replayed in parallel (default 1)
  --keep DIR         keep chunks, artifacts and truth.json under DIR/seed_<N>/ (default: temp, removed)
  --json FILE        also write the result as JSON (- for stdout: only the JSON there, the
                     progress on stderr and no tables)
  -h, --help         show this help

${EXIT_CODES_HELP}`;

const OPTIONS = {
  pipeline: { type: "string" },
  seeds: { type: "string" },
  set: { type: "string", multiple: true },
  "grace-h": { type: "string" },
  scenario: { type: "string" },
  "max-workers": { type: "string" },
  keep: { type: "string" },
  json: { type: "string" },
} as const;

/** Runs `acm eval fleet ARGS` (ARGS without the word "fleet"). */
export async function runEvalFleet(cmd: Pick<Command, "name">, argv: string[]): Promise<number> {
  const me = { name: `${cmd.name} fleet`, usage: FLEET_USAGE };
  const parsed = parseCommandArgs(me, argv, OPTIONS, { max: 0 });
  if ("exit" in parsed) return parsed.exit;
  const v = parsed.args.values;
  const str = (k: keyof typeof OPTIONS) => (v[k] === undefined ? undefined : String(v[k]));
  const seedText = str("seeds");
  const seeds = seedText === undefined
    ? [...HELD_OUT_SEEDS]
    : seedText.split(",").map((s) => s.trim());
  if (seeds.some((s) => !/^\d+$/.test(String(s)))) {
    return usageError(me, `--seeds "${seedText}" must be comma-separated non-negative integers`);
  }
  const grace = Number(str("grace-h") ?? DEFAULT_GRACE_MS / 3_600_000);
  if (!(grace >= 0)) return usageError(me, `--grace-h "${str("grace-h")}" must be a number ≥ 0`);
  const workers = Number(str("max-workers") ?? 1);
  if (!Number.isInteger(workers) || workers < 1) {
    return usageError(me, `--max-workers "${str("max-workers")}" must be a positive integer`);
  }
  const scenario = (str("scenario") ?? "standard") as LabelledScenario;
  if (!LABELLED_SCENARIOS.includes(scenario)) {
    return usageError(
      me,
      `--scenario "${scenario}" is not one of ${
        LABELLED_SCENARIOS.map((s) => `"${s}"`).join(", ")
      }`,
    );
  }
  const pipeline = str("pipeline") ??
    fileURLToPath(new URL("../pipelines/default.yaml", import.meta.url));
  const overrides = stringList(v.set);
  const json = str("json");
  try {
    // Checked here in the plugin sandbox; the replay sandboxes plugins itself.
    await withPluginIsolation(() => loadPipeline(pipeline, { overrides }));
    const result = await runFleetEval({
      pipeline,
      overrides,
      seeds: seeds.map(Number),
      graceMs: grace * 3_600_000,
      scenario,
      maxWorkers: workers,
      keepDir: str("keep"),
      // Progress is on stderr, so with --json - stdout still carries only the JSON.
      print: (line) => console.error(line),
    });
    const data = JSON.stringify(fleetResultJson(result, pipeline), null, 1) + "\n";
    if (json === "-") {
      await Deno.stdout.write(new TextEncoder().encode(data));
      return EXIT.ok;
    }
    console.log(formatFleetResult(result, pipeline));
    if (json !== undefined) await Deno.writeTextFile(json, data);
    return EXIT.ok;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return EXIT.failure;
  }
}
