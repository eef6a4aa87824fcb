/**
 * What the PostgreSQL commands (`replay --queue`, `worker`, `export`) share:
 * the URL (`--queue URL`, "" or "env" = $ACM_PG_URL, else the PG* variables)
 * and a permission check that names the exact `deno run` flags when the
 * process may not reach the database host.
 */
import { netTarget, pgErrorMessage, redactUrl } from "../core/store/pg_connect.ts";
import { type Command, EXIT } from "./_command.ts";
import { type ParsedArgs, stringList, usageError } from "./_args.ts";
import { resolvePgUrl } from "../plugins/sinks/postgres.ts";

/** The queue URL from `--queue` ("env" = the environment). */
export function queueUrl(flag: string): string {
  return resolvePgUrl(flag === "env" ? "" : flag);
}

/** Null when net (and sys, for pg-boss) are granted; else the message to print. */
export async function queuePermissionProblem(url: string): Promise<string | null> {
  let target: string;
  try {
    target = netTarget(url);
  } catch {
    return `--queue "${redactUrl(url)}" is not a postgres:// URL`;
  }
  const net = await Deno.permissions.query({ name: "net", host: target });
  const sys = await Deno.permissions.query({ name: "sys", kind: "hostname" });
  if (net.state === "granted" && sys.state === "granted") return null;
  return `the database ${target} needs network and system-info permissions; run with\n` +
    `    deno run --allow-read --allow-write --allow-env --allow-net=${target} ` +
    `--allow-sys=hostname,systemMemoryInfo,cpus,loadavg cli/acm.ts …`;
}

/** `acm replay --queue URL`: the coordinator (core/queue/coordinator.ts); returns the exit code. */
export async function queuedReplay(
  cmd: Command,
  v: ParsedArgs["values"],
  pipeline: string,
  overrides: string[],
): Promise<number> {
  const local = ["resume", "clear-cache", "dry-run", "max-workers", "artifact-root"].find((k) =>
    v[k] !== undefined
  );
  if (local) {
    return usageError(cmd, `--${local} is for a local replay; with --queue it does not apply`);
  }
  const expire = Number(v.expire ?? 600);
  const retries = Number(v.retries ?? 2);
  if (!Number.isInteger(expire) || expire < 1) {
    return usageError(cmd, "--expire must be a whole number of seconds ≥ 1");
  }
  if (!Number.isInteger(retries) || retries < 0) {
    return usageError(cmd, "--retries must be an integer ≥ 0");
  }
  const url = queueUrl(v.queue as string);
  const problem = await queuePermissionProblem(url);
  if (problem) {
    console.error(`acm replay: ${problem}`);
    return EXIT.failure;
  }
  const { queueReplay, queueSummaryText } = await import("../core/queue/coordinator.ts");
  try {
    const summary = await queueReplay({
      url,
      schema: v.schema as string | undefined,
      pipeline,
      overrides,
      equip: stringList(v.equip),
      chunkRoot: (v["chunk-root"] as string | undefined) ?? "data/chunked",
      wait: v["no-wait"] !== true,
      timing: { expireInSeconds: expire, retryLimit: retries },
    });
    console.log(queueSummaryText(summary));
    if (typeof v.json === "string") {
      const text = JSON.stringify(summary, null, 2) + "\n";
      if (v.json === "-") console.log(text);
      else await Deno.writeTextFile(v.json, text);
    }
    return summary.exitCode;
  } catch (e) {
    console.error(`acm replay: ${pgErrorMessage(e)}`);
    return EXIT.failure;
  }
}
