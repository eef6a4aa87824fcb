import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { COMMANDS, main } from "../../cli/acm.ts";
import validate from "../../cli/validate.ts";
import { captureConsole } from "../_helpers/console.ts";

const fixture = (p: string) =>
  fileURLToPath(new URL(`../fixtures/pipelines/${p}`, import.meta.url));

const capture = captureConsole;

Deno.test("acm validate exits 0 on a valid pipeline and 1 on an invalid one", async () => {
  const ok = await capture(() => main(["validate", fixture("valid.yaml")]));
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /valid\.yaml: valid \(source fx_source, 2 features, 2 detectors/);
  const bad = await capture(() => main(["validate", fixture("invalid/unknown_key.yaml")]));
  assert.equal(bad.code, 1);
  assert.match(bad.out, /unknown_key\.yaml:15:5: error\[unknown-key\] Unknown key "n_componets"/);
  assert.match(bad.out, /hint: did you mean `n_components`\?/);
  assert.match(bad.out, /invalid, 1 problem$/);
});

Deno.test("acm validate applies repeatable --set overrides and prints the effective pipeline", async () => {
  const r = await capture(() =>
    main([
      "validate",
      fixture("valid.yaml"),
      "--set",
      "episodes.on_z=2.5",
      "--set",
      "detectors.pca.mode=slow",
      "--print",
    ])
  );
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /on_z: 2\.5/);
  assert.match(r.out, /mode: slow/);
  const wrong = await capture(() =>
    main(["validate", fixture("valid.yaml"), "--set", "episodes.on_z=high"])
  );
  assert.equal(wrong.code, 1);
  assert.match(wrong.out, /error\[override-type\]/);
});

Deno.test("acm validate --json reports every diagnostic of every file", async () => {
  const r = await capture(() =>
    main(["validate", "--json", fixture("valid.yaml"), fixture("invalid/many_problems.yaml")])
  );
  assert.equal(r.code, 1);
  const report = JSON.parse(r.out) as {
    file: string;
    valid: boolean;
    diagnostics: { code: string }[];
  }[];
  assert.deepEqual(report.map((x) => [x.valid, x.diagnostics.length]), [[true, 0], [false, 6]]);
});

Deno.test("acm validate exits 2 on usage errors and 0 on --help", async () => {
  const none = await capture(() => main(["validate"]));
  assert.equal(none.code, 2);
  assert.match(none.err, /missing FILE/);
  const flag = await capture(() => main(["validate", "--strict", "x.yaml"]));
  assert.equal(flag.code, 2);
  assert.match(flag.err, /unknown option --strict/);
  const help = await capture(() => validate.run(["--help"]));
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: acm validate FILE/);
  assert.match(help.out, / {2}2 {2}usage error/);
});

Deno.test("acm lists its commands, suggests a near command and exits 2 on an unknown one", async () => {
  const help = await capture(() => main(["--help"]));
  assert.equal(help.code, 0);
  for (const name of Object.keys(COMMANDS)) assert.match(help.out, new RegExp(`^  ${name} `, "m"));
  assert.match(help.out, /Exit codes:/);
  const unknown = await capture(() => main(["valdate", "x.yaml"]));
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command "valdate" \(did you mean `validate`\?\)/);
  const bare = await capture(() => main([]));
  assert.equal(bare.code, 2);
  const version = await capture(() => main(["--version"]));
  assert.match(version.out, /^acm \d+\.\d+\.\d+$/);
});

Deno.test("every command module that exists matches its entry in the command table", async () => {
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const path = new URL(`../../cli/${entry.file}`, import.meta.url);
    try {
      await Deno.stat(path);
    } catch {
      continue; // written by another part of the project
    }
    const command = (await entry.load()).default;
    assert.equal(command.name, name);
    assert.equal(command.summary, entry.summary, `cli/acm.ts COMMANDS.${name}.summary is stale`);
    assert.equal(typeof command.run, "function");
    assert.match(command.usage, new RegExp(`acm ${name}`));
  }
});

Deno.test("deno task acm validate resolves a relative path against the caller's folder (INIT_CWD) and prints it absolute", async () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const from = `${root}tests/fixtures/pipelines`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "--quiet",
      "--config",
      `${root}deno.json`,
      "acm",
      "validate",
      "invalid/threshold_order.yaml",
    ],
    cwd: from,
    stdout: "piped",
    stderr: "piped",
    // As from a shell: no INIT_CWD inherited (deno task keeps one that is already set).
    clearEnv: true,
    env: { NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 1, new TextDecoder().decode(out.stderr));
  assert.ok(
    stdout.includes(`${from}/invalid/threshold_order.yaml:15:3: error[threshold-order]`),
    stdout,
  );
  assert.ok(stdout.includes(`${from}/invalid/threshold_order.yaml: invalid, 2 problems`), stdout);
});

Deno.test("acm validate checks a sensor metadata file (recognised by name or content, or --kind sensors)", async () => {
  const example = fileURLToPath(
    new URL("../../examples/sensor_metadata/FD_FAN_sensors.yaml", import.meta.url),
  );
  const ok = await capture(() => main(["validate", example]));
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /FD_FAN_sensors\.yaml: valid sensor metadata \(9 sensors\)/);
  const dir = await Deno.makeTempDir();
  try {
    const bad = `${dir}/meta.yaml`;
    await Deno.writeTextFile(bad, "version: 1\nsensors:\n  a:\n    unti: C\n");
    const r = await capture(() => main(["validate", bad]));
    assert.equal(r.code, 1);
    assert.match(r.out, /meta\.yaml:4:5: error\[unknown-key\] Unknown key "unti"/);
    assert.match(r.out, /hint: did you mean `unit`\? allowed keys: unit, description, limits/);
    assert.match(r.out, /invalid sensor metadata, 1 problem$/m);
    const json = await capture(() => main(["validate", "--json", "--kind", "sensors", bad]));
    const report = JSON.parse(json.out);
    assert.deepEqual([report[0].kind, report[0].valid, report[0].diagnostics.length], [
      "sensors",
      false,
      1,
    ]);
    // Forced to read it as a pipeline, it is an invalid one.
    const asPipeline = await capture(() => main(["validate", "--kind", "pipeline", bad]));
    assert.match(asPipeline.out, /Missing required key "source"/);
    assert.equal((await capture(() => main(["validate", "--kind", "x", bad]))).code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
