/** Test helpers: a small demo fleet split into chunks, and the PostgreSQL test URL. */
import { generateFleet, writeFleetCsv } from "../../../core/synth/fleet.ts";
import { splitFiles } from "../../../core/replay/split.ts";
import postgres from "postgres";

/** The small pipeline these tests use (not default.yaml, whose content other work changes). */
export const QUEUE_PIPELINE =
  new URL("../../fixtures/pipelines/queue.yaml", import.meta.url).pathname;

/** Writes `assets` assets × `days` days at 5 min, split 4 days + 2-day chunks; returns the chunk root. */
export async function demoChunks(
  dir: string,
  opts: { assets?: number; days?: number; seed?: number } = {},
): Promise<string> {
  const fleet = generateFleet({
    assets: opts.assets ?? 3,
    days: opts.days ?? 10,
    seed: opts.seed ?? 7,
  });
  const files = await writeFleetCsv(fleet, `${dir}/data`);
  for (const a of fleet.assets) {
    await splitFiles({
      inputs: [files.csv[a.name]],
      output: `${dir}/chunked/${a.name}`,
      firstChunkDays: 4,
      chunkDays: 2,
    });
  }
  return `${dir}/chunked`;
}

/**
 * The test database: $ACM_TEST_PG_URL (set by .ci/run, or `.ci/postgres.sh start`).
 * Returns null — the caller skips and says why — when unset or unreachable.
 */
export async function testPgUrl(): Promise<string | null> {
  const url = Deno.env.get("ACM_TEST_PG_URL");
  if (!url) {
    console.log(
      "SKIPPED: ACM_TEST_PG_URL is not set (start one: export ACM_TEST_PG_URL=$(.ci/postgres.sh start))",
    );
    return null;
  }
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return url;
  } catch (e) {
    console.log(`SKIPPED: PostgreSQL at ACM_TEST_PG_URL is unreachable (${(e as Error).message})`);
    return null;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** A fresh database on the test server (dropped by the returned function). */
export async function freshDatabase(
  url: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const db = `${name}_${Deno.pid}_${Math.floor(Math.random() * 1e6)}`;
  await admin.unsafe(`CREATE DATABASE ${db}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${db}`;
  return {
    url: u.toString(),
    async drop() {
      const a = postgres(url, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await a.end();
    },
  };
}

const ROOT = new URL("../../../", import.meta.url).pathname;

/** A running `acm worker` child process (narrowed: net only to the database host). */
export interface WorkerProcess {
  child: Deno.ChildProcess;
  lines: string[];
  /** Resolves with the first output line matching `re`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<Deno.CommandStatus>;
}

/** Starts `acm worker --queue url --exit-when-idle` plus `args`. */
export function startWorker(url: string, args: string[] = []): WorkerProcess {
  const u = new URL(url);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      `--allow-net=${u.hostname}:${u.port || 5432}`,
      "--allow-sys=hostname,systemMemoryInfo,cpus,loadavg",
      "cli/acm.ts",
      "worker",
      "--queue",
      url,
      "--exit-when-idle",
      ...args,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    let buf = "";
    for await (const piece of stream.pipeThrough(new TextDecoderStream())) {
      buf += piece;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        for (const w of [...waiters]) {
          if (w.re.test(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    }
  };
  const pumped = Promise.all([pump(child.stdout), pump(child.stderr)]);
  return {
    child,
    lines,
    waitFor(re, timeoutMs = 60_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () =>
            reject(
              new Error(`no line matching ${re} within ${timeoutMs} ms:\n${lines.join("\n")}`),
            ),
          timeoutMs,
        );
        waiters.push({ re, resolve: (l) => (clearTimeout(t), resolve(l)) });
      });
    },
    exited: pumped.then(() => child.status),
  };
}

/** `<dir>/<asset>/<file>` bytes for every asset directory under `dir`. */
export async function outputFiles(
  dir: string,
  files: readonly string[] = ["scores.csv", "episodes.csv"],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const e of Deno.readDir(dir)) {
    if (!e.isDirectory || e.name.startsWith(".") || e.name === "runs") continue;
    for (const f of files) {
      out[`${e.name}/${f}`] = await Deno.readTextFile(`${dir}/${e.name}/${f}`).catch(() =>
        "(missing)"
      );
    }
  }
  return out;
}
