/**
 * The YAML attack corpus (tests/fixtures/yaml_attacks/, written by `_make.ts` there; the two
 * multi-megabyte cases are generated here): every case ends in diagnostics, never a thrown
 * error, and an attack is refused with its code at its line and column.
 */
import assert from "node:assert/strict";
import { validatePipelineFile, validatePipelineText } from "../../../core/pipeline/load.ts";
import { captureConsole } from "../../_helpers/console.ts";
import { main } from "../../../cli/acm.ts";
import { generate } from "../../fixtures/yaml_attacks/_make.ts";

const DIR = new URL("../../fixtures/yaml_attacks/", import.meta.url);

interface Case {
  file?: string;
  generate?: string;
  tried: string;
  expect: { code?: string; line?: number; column?: number; not?: string[] };
}

const cases = JSON.parse(await Deno.readTextFile(new URL("cases.json", DIR))) as Case[];

for (const c of cases) {
  const name = c.file ?? c.generate!;
  const e = c.expect;
  Deno.test(
    `validatePipelineText() on yaml_attacks/${name} (${c.tried}) ${
      e.code ? `refuses it with ${e.code} at line ${e.line}` : "reads it"
    }`,
    async () => {
      const text = c.file ? await Deno.readTextFile(new URL(c.file, DIR)) : generate(c.generate!);
      const { diagnostics } = await validatePipelineText(text, name);
      const codes = diagnostics.map((d) => d.code);
      for (const code of e.not ?? []) assert.ok(!codes.includes(code as never), codes.join(", "));
      if (!e.code) return;
      assert.deepEqual(codes, [e.code], diagnostics.map((d) => d.message).join("\n"));
      const [d] = diagnostics;
      assert.equal(d.file, name);
      assert.equal(d.line, e.line);
      if (e.column !== undefined) assert.equal(d.column, e.column);
      assert.ok(d.hint, "a hint says what to do");
    },
  );
}

Deno.test("validatePipelineFile() refuses a file over the size limit before reading it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_yaml_" });
  const path = `${dir}/big.yaml`;
  await Deno.writeTextFile(path, generate("large:3000000"));
  const { diagnostics } = await validatePipelineFile(path);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.file, d.line]), [
    ["yaml-too-large", path, 1],
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("acm validate reports an alias bomb and deep nesting with positions, exit 1, no stack trace", async () => {
  for (
    const [file, text] of [["alias_bomb.yaml", /alias_bomb\.yaml:4:8: error\[yaml-aliases\]/], [
      "flow_seq_deep.yaml",
      /flow_seq_deep\.yaml:3:68: error\[yaml-too-deep\]/,
    ]] as const
  ) {
    const r = await captureConsole(() => main(["validate", new URL(file, DIR).pathname]));
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out + r.err, text);
    assert.doesNotMatch(r.out + r.err, /\n\s+at /);
  }
});
