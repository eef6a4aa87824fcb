/**
 * `acm report`: rebuilds every asset's HTML report and the fleet index from the
 * outputs stored under an artifact root, then prints the fleet index path.
 * Exit codes: 0 written, 1 an asset's outputs could not be read or written, 2 usage.
 */
import { resolve } from "node:path";
import { type Command, EXIT, EXIT_CODES_HELP } from "./_command.ts";
import { parseCommandArgs, stringList, usageError } from "./_args.ts";
import { writeAssetReport } from "../core/report/asset_report.ts";
import { listAssetDirs, writeFleetIndex } from "../core/report/fleet_index.ts";

const USAGE = `Usage:
  acm report [--artifact-root DIR] [--equip A B ...] [--top-episodes N]

Rebuilds <DIR>/<EQUIP>/report.html for every asset with stored outputs (scores.csv, episodes.csv,
sensors.csv, data_quality.json, training.json, summary.json written by the csv sink), then the
fleet index <DIR>/index.html, and prints the index path. Reports open from disk, no network.

  --artifact-root DIR   where replay wrote its outputs (default artifacts)
  --equip A B ...       only rebuild these assets' reports (the index always lists every asset)
  --top-episodes N      episodes (highest peak first) that get culprit sensor traces (default 3)
  -h, --help            this text

${EXIT_CODES_HELP}`;

async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(command, argv, {
    "artifact-root": { type: "string" },
    equip: { type: "string", multiple: true },
    "top-episodes": { type: "string" },
  });
  if ("exit" in parsed) return parsed.exit;
  const { values, positionals } = parsed.args;
  const equip = stringList(values.equip);
  if (positionals.length > 0 && equip.length === 0) {
    return usageError(command, `unexpected argument "${positionals[0]}"`);
  }
  equip.push(...positionals);
  const top = values["top-episodes"] === undefined ? 3 : Number(values["top-episodes"]);
  if (!Number.isInteger(top) || top < 0) {
    return usageError(
      command,
      `--top-episodes must be a whole number ≥ 0, got "${values["top-episodes"]}"`,
    );
  }
  const root = resolve(String(values["artifact-root"] ?? "artifacts"));
  try {
    const stat = await Deno.stat(root);
    if (!stat.isDirectory) throw new Error("not a directory");
  } catch {
    console.error(`acm report: Cannot build reports: artifact root "${root}" is not a directory`);
    return EXIT.failure;
  }
  const all = await listAssetDirs(root);
  const unknown = equip.filter((e) => !all.includes(e));
  if (unknown.length > 0) {
    console.error(
      `acm report: Cannot build reports: no stored outputs for ${
        unknown.map((u) => `"${u}"`).join(", ")
      } under "${root}"` +
        `\n    hint: assets with outputs: ${all.length ? all.join(", ") : "none (replay first)"}`,
    );
    return EXIT.failure;
  }
  let failed = 0;
  for (const asset of equip.length ? equip : all) {
    try {
      await writeAssetReport(`${root}/${asset}`, { topEpisodes: top });
    } catch (err) {
      failed++;
      console.error(`acm report: ${asset}: ${err instanceof Error ? err.message : err}`);
    }
  }
  try {
    console.log(await writeFleetIndex(root));
  } catch (err) {
    console.error(`acm report: ${err instanceof Error ? err.message : err}`);
    return EXIT.failure;
  }
  return failed > 0 ? EXIT.failure : EXIT.ok;
}

const command: Command = {
  name: "report",
  summary: "Rebuild the HTML reports and the fleet index from stored outputs",
  usage: USAGE,
  run,
};

export default command;
