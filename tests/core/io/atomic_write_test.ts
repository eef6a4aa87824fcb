import assert from "node:assert/strict";
import { atomicWriteText } from "../../../core/io/atomic_write.ts";
import { failureKind, OutputError, outputError } from "../../../core/io/output_error.ts";
import { tempDir } from "../../_helpers/scored_chunk.ts";

Deno.test("atomicWriteText() replaces the file and leaves no temporary behind", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    await atomicWriteText(`${dir}/a.csv`, "old\n");
    await atomicWriteText(`${dir}/a.csv`, "new\n");
    assert.equal(await Deno.readTextFile(`${dir}/a.csv`), "new\n");
    const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
    assert.deepEqual(names, ["a.csv"]);
  } finally {
    await cleanup();
  }
});

Deno.test("atomicWriteText() into a missing directory throws OutputError naming the file", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    await assert.rejects(
      () => atomicWriteText(`${dir}/nope/a.csv`, "x"),
      (err: unknown) =>
        err instanceof OutputError && err.path === `${dir}/nope/a.csv` &&
        err.message.includes(`"${dir}/nope/a.csv"`) && err.message.includes("hint:"),
    );
  } finally {
    await cleanup();
  }
});

Deno.test("atomicWriteText() in a read-only directory fails clearly and keeps the old file", async (t) => {
  const [dir, cleanup] = await tempDir();
  try {
    await atomicWriteText(`${dir}/scores.csv`, "complete\n");
    await Deno.chmod(dir, 0o555);
    // root ignores directory modes: probe before relying on chmod.
    const probe = await Deno.writeTextFile(`${dir}/.probe`, "x").then(() => true, () => false);
    if (probe) {
      await t.step({
        name: "skipped: running as root, chmod 0555 does not block writes",
        ignore: true,
        fn: () => {},
      });
      return;
    }
    await assert.rejects(
      () => atomicWriteText(`${dir}/scores.csv`, "half"),
      (err: unknown) => err instanceof OutputError && /permission denied/.test(err.message),
    );
    assert.equal(await Deno.readTextFile(`${dir}/scores.csv`), "complete\n");
  } finally {
    await Deno.chmod(dir, 0o755);
    await cleanup();
  }
});

Deno.test("atomicWriteText() without write permission fails clearly and keeps the old file", async () => {
  // A child Deno process allowed to write elsewhere only: a real refusal even when running as root.
  const [dir, cleanup] = await tempDir();
  try {
    await atomicWriteText(`${dir}/scores.csv`, "complete\n");
    const module = new URL("../../../core/io/atomic_write.ts", import.meta.url).href;
    await Deno.writeTextFile(
      `${dir}/child.ts`,
      `import { atomicWriteText } from "${module}";
try { await atomicWriteText("${dir}/scores.csv", "half"); console.log("written"); }
catch (e) { console.log(e.name + "|" + e.message); }`,
    );
    const repo = new URL("../../../", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        `--allow-read=${dir},${repo}`,
        "--allow-write=/nonexistent-dir",
        `${dir}/child.ts`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.match(text, /^OutputError\|Cannot write ".*scores\.csv": permission denied/);
    assert.equal(await Deno.readTextFile(`${dir}/scores.csv`), "complete\n");
  } finally {
    await cleanup();
  }
});

Deno.test("failureKind() recognises disk full, read-only, locked and permission errors", () => {
  assert.equal(
    failureKind(
      Object.assign(new Error("No space left on device (os error 28)"), { code: "ENOSPC" }),
    ),
    "disk-full",
  );
  assert.equal(failureKind(new Error("Read-only file system (os error 30)")), "read-only");
  assert.equal(failureKind(new Error("database is locked")), "locked");
  assert.equal(
    failureKind(new Deno.errors.PermissionDenied("Permission denied (os error 13)")),
    "permission",
  );
  assert.equal(failureKind(new Error("boom")), "other");
  const e = outputError("write", "/x/scores.csv", new Error("No space left on device"));
  assert.match(e.message, /^Cannot write "\/x\/scores\.csv": the disk is full/);
  assert.match(e.hint, /free disk space/);
});
