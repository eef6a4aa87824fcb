/**
 * `acm export --queue URL --artifact-root DIR`: write the csv sink's per-asset
 * files from the PostgreSQL store (core/queue/export.ts).
 */
import { type Command, EXIT, EXIT_CODES_HELP } from "./_command.ts";
import { parseCommandArgs, stringList, usageError } from "./_args.ts";
import { exportStore } from "../core/queue/export.ts";
import { pgErrorMessage } from "../core/store/pg_connect.ts";
import { queuePermissionProblem, queueUrl } from "./_queue.ts";

const usage = `Usage: acm export --queue URL --artifact-root DIR [options]

Writes <artifact-root>/<asset>/scores.csv, episodes.csv, sensors.csv and the
JSON companions from the PostgreSQL results store — the layout the csv sink of
a local replay writes, byte for byte.

Options:
  --queue URL          postgres://user@host:port/db (env = $ACM_PG_URL or PG* variables)
  --schema NAME        results schema (default acm)
  --artifact-root DIR  where to write (default artifacts)
  --equip A            only this asset (repeatable)
  -h, --help           show this help

${EXIT_CODES_HELP}`;

const OPTIONS = {
  queue: { type: "string" },
  schema: { type: "string" },
  "artifact-root": { type: "string" },
  equip: { type: "string", multiple: true },
} as const;

const command: Command = {
  name: "export",
  summary: "Write the csv-sink files (scores.csv, episodes.csv, …) from the PostgreSQL store",
  usage,
  async run(argv: string[]): Promise<number> {
    const parsed = parseCommandArgs(command, argv, OPTIONS, { max: 0 });
    if ("exit" in parsed) return parsed.exit;
    const v = parsed.args.values;
    if (typeof v.queue !== "string") return usageError(command, "--queue URL is required");
    const url = queueUrl(v.queue);
    const problem = await queuePermissionProblem(url);
    if (problem) {
      console.error(`acm export: ${problem}`);
      return EXIT.failure;
    }
    try {
      const written = await exportStore({
        url,
        schema: v.schema as string | undefined,
        artifactRoot: (v["artifact-root"] as string | undefined) ?? "artifacts",
        equip: stringList(v.equip),
      });
      console.log(`exported ${Object.keys(written).length} asset(s)`);
      return EXIT.ok;
    } catch (e) {
      console.error(`acm export: ${pgErrorMessage(e)}`);
      return EXIT.failure;
    }
  },
};

export default command;

if (import.meta.main) Deno.exit(await command.run(Deno.args));
