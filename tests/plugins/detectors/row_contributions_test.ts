import assert from "node:assert/strict";
import { BUILTINS } from "../../../plugins/registry.ts";
import type { DetectorPlugin } from "../../../core/plugin.ts";
import { makeFrame } from "../../../core/frame.ts";
import { createRng } from "../../../core/rng.ts";
import { pluginContext } from "../../../core/engine/context.ts";
import { silentLogger } from "../../../core/log.ts";

function frame(rows: number, seed: number) {
  const rng = createRng(seed);
  const cols = ["a", "b", "c", "d", "e"];
  const values = new Float64Array(rows * cols.length);
  for (let i = 0; i < rows; i++) {
    const f = rng.normal();
    cols.forEach((_, j) =>
      values[j * rows + i] = f * (j + 1) + rng.normal() + (i % 17 === 0 ? 4 : 0)
    );
  }
  values[2 * rows + 7] = NaN;
  return makeFrame({
    columns: cols,
    values,
    timestamps: Float64Array.from({ length: rows }, (_, i) => i * 1000),
  });
}

for (const b of BUILTINS.filter((x) => x.kind === "detector")) {
  Deno.test(`detector "${b.name}": score(frame, { rows }) gives exactly those rows' scores and contributions`, async () => {
    const plugin = ((await b.load()) as { default: DetectorPlugin }).default;
    const options = { ...(plugin.options.examples as Record<string, unknown>[])[0] };
    for (
      const [k, v] of Object.entries(
        plugin.options.properties as Record<string, { default?: unknown }>,
      )
    ) {
      if (!(k in options) && v.default !== undefined) options[k] = v.default;
    }
    const detector = plugin.create(
      options as never,
      pluginContext("n", plugin.name, 1, silentLogger),
    );
    if (!detector.rowContributions) return; // honours `rows` only when it says so
    await detector.fit(frame(300, 1));
    // Beyond the scorers' internal row blocks (2,048 rows), across their edges.
    const data = frame(5000, 2);
    const full = detector.score(data);
    const rows = Int32Array.from([0, 5, 7, 51, 2047, 2048, 4095, 4999]);
    const part = detector.score(data, { rows });
    const cols = data.columns.length;
    for (const out of detector.outputs) {
      assert.deepEqual(
        [...part.outputs[out]],
        [...rows].map((i) => full.outputs[out][i]),
        `output ${out}`,
      );
      const c = part.contributions?.[out], fc = full.contributions?.[out];
      assert.ok(c && fc, `contributions of ${out}`);
      for (let j = 0; j < cols; j++) {
        rows.forEach((i, k) =>
          assert.equal(c[j * rows.length + k], fc[j * data.rows + i], `col ${j} row ${i}`)
        );
      }
    }
  });
}
