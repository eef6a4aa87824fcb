/**
 * `deno task compile`: builds the single `acm` binary (dist/acm) with
 * `deno compile`. Embedded with `--include`: every built-in plugin module (the
 * replay workers re-import plugins by specifier), the worker modules (replay
 * asset worker, plugin sandbox), the replay
 * host modules (imported by specifier) and the bundled pipelines; the binary
 * gets the permissions a replay needs (--allow-read --allow-write --allow-env)
 * and narrowed worker permissions (--unstable-worker-options).
 *
 * `deno compile` needs a `denort` runtime of the same Deno version. It is
 * downloaded from dl.deno.land on first use and cached in DENO_DIR; without
 * internet, set DENORT_BIN to a denort binary. When neither works the task says
 * so and exits 1. After building, it runs `dist/acm --version` to be sure the
 * result is acm (a DENORT_BIN that points at the deno CLI yields a "binary"
 * that is just deno).
 *
 * Usage: deno task compile [--output FILE] [--target TRIPLE] [--no-check] [--dry-run]
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { BUILTINS } from "../plugins/registry.ts";
import { DEFAULT_HOST_MODULES } from "../core/replay/host.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url)).replace(/\/$/, "");

/** Options of a build. */
export interface CompileOptions {
  output?: string;
  target?: string;
  check?: boolean;
}

/** Files embedded with `--include`, relative to the project root. */
export function includedFiles(): string[] {
  const rel = (url: string) => fileURLToPath(url).slice(ROOT.length + 1);
  const pipelines = [...Deno.readDirSync(`${ROOT}/pipelines`)]
    .filter((e) => e.isFile && e.name.endsWith(".yaml"))
    .map((e) => `pipelines/${e.name}`)
    .sort();
  return [
    "core/replay/worker.ts",
    "core/pipeline/plugin_sandbox_worker.ts",
    ...DEFAULT_HOST_MODULES.map(rel),
    ...BUILTINS.map((b) => rel(b.specifier)),
    ...pipelines,
  ];
}

/** The `deno compile` arguments (run from the project root). */
export function compileArgs(opts: CompileOptions = {}): string[] {
  return [
    "compile",
    "--config",
    "deno.json",
    "--output",
    opts.output ?? "dist/acm",
    ...(opts.target ? ["--target", opts.target] : []),
    ...(opts.check === false ? ["--no-check"] : []),
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--unstable-worker-options",
    ...includedFiles().flatMap((f) => ["--include", f]),
    "cli/acm.ts",
  ];
}

/** Where `deno compile` caches the denort download for this Deno version and target. */
export async function cachedDenort(target = Deno.build.target): Promise<string | null> {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  })
    .output();
  if (!info.success) return null;
  const { denoDir } = JSON.parse(new TextDecoder().decode(info.stdout)) as { denoDir: string };
  const zip = `${denoDir}/dl/release/v${Deno.version.deno}/denort-${target}.zip`;
  return (await Deno.stat(zip).then((s) => s.isFile, () => false)) ? zip : null;
}

/** The advice printed when no denort runtime can be had. */
export function noDenortMessage(target: string, cause: string): string {
  const url = `https://dl.deno.land/release/v${Deno.version.deno}/denort-${target}.zip`;
  return `acm compile: cannot build the binary: deno compile needs the denort runtime (Deno ${Deno.version.deno}, ${target}) and could not download it:
  ${cause}
Either
  - run \`deno task compile\` once on a machine with internet access (it downloads
    ${url}
    and caches it in DENO_DIR), or
  - set DENORT_BIN to a denort binary of exactly this Deno version (unzip the file above):
    DENORT_BIN=/path/to/denort deno task compile`;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      output: { type: "string", short: "o" },
      target: { type: "string" },
      "no-check": { type: "boolean" },
      "dry-run": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "Usage: deno task compile [--output FILE] [--target TRIPLE] [--no-check] [--dry-run]\n" +
        "Builds dist/acm with deno compile; set DENORT_BIN=/path/to/denort to build offline.",
    );
    return 0;
  }
  const target = values.target ?? Deno.build.target;
  const output = values.output ?? "dist/acm";
  const args = compileArgs({ output, target: values.target, check: !values["no-check"] });
  const denort = Deno.env.get("DENORT_BIN");
  if (denort !== undefined) {
    const ok = await Deno.stat(denort).then((s) => s.isFile, () => false);
    if (!ok) {
      console.error(
        `acm compile: Cannot use DENORT_BIN: "${denort}" is not a file (unset it to download denort)`,
      );
      return 1;
    }
  }
  const source = denort
    ? `DENORT_BIN=${denort}`
    : (await cachedDenort(target)) ?? "download from dl.deno.land";
  console.error(`acm compile: denort runtime: ${source}`);
  if (values["dry-run"]) {
    console.log(["deno", ...args].join(" "));
    return 0;
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "inherit",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) {
    if (
      /denort/i.test(stderr) && /error sending request|dns error|connect|download/i.test(stderr)
    ) {
      const cause = stderr.split("\n").find((l) => /error sending request/.test(l))?.trim() ??
        stderr.split("\n").find((l) => /error/i.test(l))?.trim() ?? "download failed";
      console.error(noDenortMessage(target, cause.replace(/^\d+: /, "")));
    } else console.error(stderr.trimEnd());
    return 1;
  }
  const binary = output.startsWith("/") ? output : `${ROOT}/${output}`;
  if (target !== Deno.build.target) {
    console.error(`acm compile: built ${binary} for ${target} (not run: another platform)`);
    return 0;
  }
  return await smokeTest(binary);
}

/** Runs `<binary> --version`; it must print `acm <version>`. */
async function smokeTest(path: string): Promise<number> {
  const r = await new Deno.Command(path, { args: ["--version"], stdout: "piped", stderr: "piped" })
    .output()
    .catch((e) => ({
      success: false,
      stdout: new Uint8Array(),
      stderr: new TextEncoder().encode(String(e)),
    }));
  const text = new TextDecoder().decode(r.stdout).trim();
  if (/^acm \d/.test(text)) {
    const mb = ((await Deno.stat(path)).size / 1e6).toFixed(0);
    console.error(`acm compile: built ${path} (${mb} MB): ${text}`);
    return 0;
  }
  const hint = /^deno \d/.test(text)
    ? "DENORT_BIN points at the deno CLI, not at denort: the binary ignores the embedded program"
    : `it printed: ${text || new TextDecoder().decode(r.stderr).trim()}`;
  await Deno.remove(path).catch(() => {});
  console.error(
    `acm compile: Cannot use the built ${path} (removed it): \`--version\` did not print "acm <version>"; ${hint}`,
  );
  return 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
