/**
 * `acm replay` as a child process for the CLI tests: spawn/run it, hash what it
 * wrote, and kill -9 it at planned moments then resume, comparing every output
 * with an uninterrupted run's.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { LEDGER_FILE } from "../../core/replay/ledger.ts";

const CLI = fileURLToPath(new URL("../../cli/replay.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function spawnReplay(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", CLI, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

export async function runReplay(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await spawnReplay(args).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Every output file (relative path → SHA-256 hex), minus run manifests, the ledger and temp files. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string, rel: string) => {
    for await (const e of Deno.readDir(d)) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) {
        if (r !== "runs") await walk(`${d}/${e.name}`, r); // run manifests carry times
      } else if (r !== LEDGER_FILE && !r.endsWith("manifest.json") && !e.name.endsWith(".tmp")) {
        const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(`${d}/${e.name}`));
        out.set(
          r,
          Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join(""),
        );
      }
    }
  };
  await walk(dir, "");
  return out;
}

/** When to kill: after this many ledger entries are done, or after this many ms. */
export interface KillPlan {
  ledgerEntries?: number;
  delayMs?: number;
}

const doneEntries = async (art: string) =>
  ((await Deno.readTextFile(`${art}/${LEDGER_FILE}`).catch(() => "")).match(/"status": "done"/g) ??
    []).length;

/**
 * Per plan: replays into `<dir>/run<k>`, kills it with SIGKILL at the planned moment
 * (waiting at most `waitMs`), resumes, and asserts the outputs equal `want`.
 * Returns the done ledger entries at each kill.
 */
export async function killAndResume(
  dir: string,
  args: (artifactRoot: string) => string[],
  plans: KillPlan[],
  want: Map<string, string>,
  waitMs: number,
): Promise<number[]> {
  const interrupted: number[] = [];
  for (const [k, plan] of plans.entries()) {
    const art = `${dir}/run${k}`;
    const child = spawnReplay(args(art));
    const t0 = Date.now();
    while (Date.now() - t0 < waitMs) {
      if (plan.delayMs !== undefined && Date.now() - t0 >= plan.delayMs) break;
      if (plan.ledgerEntries !== undefined && await doneEntries(art) >= plan.ledgerEntries) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    try {
      child.kill("SIGKILL");
    } catch {
      // it finished before the kill: the resume below must then be a no-op
    }
    await child.output();
    interrupted.push(await doneEntries(art));
    const resumed = await runReplay([...args(art), "--resume"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const got = await snapshot(art);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `files after kill #${k}`);
    for (const [file, digest] of want) {
      assert.equal(got.get(file), digest, `${file} after kill #${k}`);
    }
  }
  return interrupted;
}
