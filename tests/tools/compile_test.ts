/**
 * `deno task compile` (tools/compile.ts). The build itself needs a denort
 * runtime: it runs only when DENORT_BIN names one (these machines cannot
 * download it) and is reported as skipped otherwise. The argument list and the
 * messages for a missing runtime are tested everywhere.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { cachedDenort, compileArgs, includedFiles } from "../../tools/compile.ts";
import { BUILTINS } from "../../plugins/registry.ts";
import { generateFleet, writeFleetCsv } from "../../core/synth/fleet.ts";
import { splitFiles } from "../../core/replay/split.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DENORT = Deno.env.get("DENORT_BIN");
const HAVE_DENORT = DENORT !== undefined &&
  (await Deno.stat(DENORT).then((s) => s.isFile, () => false));
if (!HAVE_DENORT) {
  console.log(
    "compile_test: SKIPPED building and running dist/acm: no denort runtime (set DENORT_BIN=/path/to/denort " +
      "of Deno " + Deno.version.deno + " to run it; these machines cannot download one)",
  );
}

async function run(cmd: string, args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const r = await new Deno.Command(cmd, {
    args,
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: r.code, out: text(r.stdout), err: text(r.stderr) };
}

const TOOL = [
  "run",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  `${ROOT}tools/compile.ts`,
];

Deno.test("compileArgs() embeds every built-in plugin, the worker, the host modules and the pipelines", () => {
  const args = compileArgs({ output: "dist/acm" });
  const included = args.flatMap((a, i) => (args[i - 1] === "--include" ? [a] : []));
  for (const b of BUILTINS) assert.ok(included.includes(`plugins/${b.path.slice(2)}`), b.path);
  for (
    const f of [
      "core/replay/worker.ts",
      "core/pipeline/plugin_sandbox_worker.ts",
      "core/engine/fit.ts",
      "core/engine/score.ts",
      "core/pipeline/load.ts",
      "pipelines/default.yaml",
    ]
  ) {
    assert.ok(included.includes(f), f);
  }
  assert.deepEqual(included, includedFiles());
  for (
    const flag of ["--allow-read", "--allow-write", "--allow-env", "--unstable-worker-options"]
  ) {
    assert.ok(args.includes(flag), flag);
  }
  assert.ok(
    !args.some((a) => /^--allow-(net|run|ffi|sys|all)|^-A$/.test(a)),
    "no wider permissions",
  );
  assert.equal(args.at(-1), "cli/acm.ts");
  assert.deepEqual(args.slice(0, 5), ["compile", "--config", "deno.json", "--output", "dist/acm"]);
});

Deno.test("tools/compile.ts refuses a DENORT_BIN that is not a file, naming it", async () => {
  const r = await run(Deno.execPath(), [...TOOL, "--dry-run"], { DENORT_BIN: "/no/such/denort" });
  assert.equal(r.code, 1);
  assert.match(r.err, /Cannot use DENORT_BIN: "\/no\/such\/denort" is not a file/);
});

Deno.test({
  name: "tools/compile.ts explains how to get denort when it has none and cannot download one",
  ignore: HAVE_DENORT || Deno.env.get("DENORT_BIN") !== undefined,
  async fn() {
    const out = `${await Deno.makeTempDir()}/acm`;
    const r = await run(Deno.execPath(), [...TOOL, "--no-check", "--output", out]);
    if (r.code === 0 || (await cachedDenort()) !== null) {
      // This machine could download (or had cached) denort: then the build must work.
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /built .* acm \d/);
      return;
    }
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /could not download it:\n {2}error sending request for url \(https:\/\/dl\.deno\.land\/release\/v/,
    );
    assert.match(r.err, /DENORT_BIN=\/path\/to\/denort deno task compile/);
    assert.equal(
      await Deno.stat(out).then(() => true, () => false),
      false,
      "no binary left behind",
    );
  },
});

Deno.test({
  name:
    "deno task compile builds dist/acm that prints --help, replays one chunk and loads a third-party plugin from disk",
  ignore: !HAVE_DENORT,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "acm_compile_" });
    const binary = `${dir}/acm`;
    const built = await run(Deno.execPath(), [...TOOL, "--no-check", "--output", binary]);
    assert.equal(built.code, 0, built.err);
    const help = await run(binary, ["--help"], {}, dir);
    assert.equal(help.code, 0, help.err);
    assert.match(help.out, /Commands:[\s\S]*replay[\s\S]*plugins/);
    const valid = await run(binary, ["validate", `${ROOT}pipelines/default.yaml`], {}, dir);
    assert.equal(valid.code, 0, valid.out + valid.err);
    // One chunk of one asset, scored by a pipeline whose cusum detector is a file on disk.
    const fleet = generateFleet({
      seed: 5,
      assets: 1,
      days: 2,
      cadenceS: 600,
      trainDays: 1,
      faultsPerAsset: 1,
    });
    const files = await writeFleetCsv(fleet, `${dir}/csv`);
    const [[asset, csv]] = Object.entries(files.csv);
    await splitFiles({ inputs: [csv], output: `${dir}/chunks/${asset}`, chunks: 1 });
    const replayed = await run(
      binary,
      [
        "replay",
        "--pipeline",
        `${ROOT}examples/pipelines/with_cusum.yaml`,
        "--chunk-root",
        `${dir}/chunks`,
        "--artifact-root",
        `${dir}/art`,
      ],
      {},
      dir,
    );
    assert.equal(replayed.code, 0, replayed.out + replayed.err);
    const header = (await Deno.readTextFile(`${dir}/art/${asset}/scores.csv`)).split("\n")[0];
    assert.ok(header.split(",").includes("cusum_z"), header);
    await Deno.remove(dir, { recursive: true });
  },
});
