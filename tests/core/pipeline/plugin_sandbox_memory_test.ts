/**
 * The plugin sandbox's memory limit (core/pipeline/plugin_sandbox.ts): with
 * `--allow-run=sh` a third-party module loads in a child process with a JS heap
 * limit, so a plugin whose top-level code fills the heap is a positioned
 * plugin-load error naming its file and the command exits 1 (before: V8 aborted
 * the whole command, exit 133, no message); without it, the sandbox falls back
 * to a Web Worker in the command's process and says so.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { SANDBOX_MEMORY_ENV, sandboxMemoryMb } from "../../../core/pipeline/plugin_sandbox.ts";

const fixture = (p: string) => fileURLToPath(new URL(`../../fixtures/${p}`, import.meta.url));
const CLI = fileURLToPath(new URL("../../../cli/acm.ts", import.meta.url));
const HEAP_PLUGIN = fixture("plugins/hostile/top_level_heap.ts");

/** A temp folder with a pipeline whose one detector is the top-level heap bomb. */
async function heapSetup(): Promise<{ dir: string; pipeline: string }> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "acm_sandbox_mem_" }));
  const pipeline = `${dir}/heap.yaml`;
  await Deno.writeTextFile(
    pipeline,
    [
      "version: 1",
      "name: heap",
      "plugins:",
      `  heap: ${JSON.stringify(HEAP_PLUGIN)}`,
      "source: { id: raw, plugin: csv }",
      "detectors:",
      "  - { id: h, plugin: heap, inputs: [raw] }",
      "fusion: { id: fused, plugin: weighted_mean, inputs: [h] }",
      "sinks:",
      "  - { id: csv, plugin: csv }",
      "",
    ].join("\n"),
  );
  return { dir, pipeline };
}

/** Runs the CLI with the given permission flags and a 128 MiB sandbox heap. */
async function acm(flags: string[], ...args: string[]): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...flags, CLI, ...args],
    env: { [SANDBOX_MEMORY_ENV]: "128" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, text: d.decode(out.stdout) + d.decode(out.stderr) };
}

const OOM_MESSAGE = new RegExp(
  `Cannot load plugin module "${HEAP_PLUGIN.replaceAll(/[.\\/]/g, "\\$&")}": the plugin module ` +
    "ran out of memory while loading \\(JS heap limit 128 MiB\\)",
);

Deno.test("acm validate -A: a plugin whose top-level code fills the heap is a positioned error, exit 1", async () => {
  const { dir, pipeline } = await heapSetup();
  const started = performance.now();
  const { code, text } = await acm(["-A"], "validate", pipeline);
  assert.equal(code, 1, text);
  assert.ok(text.includes(`${pipeline}:7:`), text);
  assert.match(text, OOM_MESSAGE);
  assert.match(text, /error\[plugin-load\]/);
  assert.doesNotMatch(text, /Fatal JavaScript/);
  assert.ok(performance.now() - started < 60_000, "stopped at its heap limit, not the timeout");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("acm replay: the top-level heap bomb is refused as a pipeline problem, exit 1", async () => {
  const { dir, pipeline } = await heapSetup();
  await Deno.mkdir(`${dir}/chunks/A`, { recursive: true });
  await Deno.writeTextFile(`${dir}/chunks/A/c1.csv`, "timestamp,a\n2024-01-01T00:00:00Z,1\n");
  const { code, text } = await acm(
    ["--allow-read", "--allow-write", "--allow-env", "--allow-run=sh"],
    "replay",
    "--pipeline",
    pipeline,
    "--chunk-root",
    `${dir}/chunks`,
    "--artifact-root",
    `${dir}/art`,
  );
  assert.equal(code, 1, text);
  assert.match(text, /Cannot use pipeline/);
  assert.match(text, OOM_MESSAGE);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("acm validate without --allow-run=sh loads plugins in a worker, warning that there is no memory limit", async () => {
  const { code, text } = await acm(
    ["--allow-read", "--allow-env"],
    "validate",
    fixture("pipelines/valid.yaml"),
  );
  assert.equal(code, 0, text);
  assert.match(text, /: valid \(/);
  assert.match(text, /warning: third-party plugin modules load without a memory limit/);
  assert.match(text, /--allow-run=sh/);
});

Deno.test("sandboxMemoryMb() reads ACM_PLUGIN_SANDBOX_MEMORY_MB and refuses a value that is not whole MiB", () => {
  const before = Deno.env.get(SANDBOX_MEMORY_ENV);
  try {
    Deno.env.set(SANDBOX_MEMORY_ENV, "256");
    assert.equal(sandboxMemoryMb(), 256);
    Deno.env.set(SANDBOX_MEMORY_ENV, "lots");
    assert.throws(() => sandboxMemoryMb(), /ACM_PLUGIN_SANDBOX_MEMORY_MB="lots": expected a whole/);
    Deno.env.delete(SANDBOX_MEMORY_ENV);
    assert.equal(sandboxMemoryMb(), 1024);
  } finally {
    if (before === undefined) Deno.env.delete(SANDBOX_MEMORY_ENV);
    else Deno.env.set(SANDBOX_MEMORY_ENV, before);
  }
});
