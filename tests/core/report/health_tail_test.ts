import assert from "node:assert/strict";
import { readHealthTail } from "../../../core/report/health_tail.ts";
import { healthTrend } from "../../../core/report/health_trend.ts";
import { readNumericCsv } from "../../../core/io/numeric_csv.ts";
import { tempDir } from "../../_helpers/scored_chunk.ts";

const HOUR = 3_600_000;

/** scores.csv-like text: 70 days of hourly rows, a quoted culprit with a comma, health falling. */
function scoresText(rows: number): string {
  const lines = ["timestamp,condition_z,fused,alarm,health,regime,culprit"];
  const t0 = Date.UTC(2024, 0, 1, 0, 30);
  for (let i = 0; i < rows; i++) {
    const ts = new Date(t0 + i * HOUR).toISOString().slice(0, 19);
    lines.push(`${ts},${(i % 7) / 3},${i % 5},0,${100 - (i % 97) / 2},1,"Fan, inlet ${i}"`);
  }
  return lines.join("\n") + "\n";
}

Deno.test("readHealthTail() gives the same 30-day trend as reading the whole file, for any block size", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const text = scoresText(70 * 24);
    await Deno.writeTextFile(`${dir}/scores.csv`, text);
    const all = readNumericCsv(text, (s) => Date.parse(`${s}Z`));
    const health = all.values[all.columns.indexOf("health")];
    const whole = healthTrend(all.t, health);
    for (const firstBlock of [64, 1000, 4096, 1 << 20]) {
      const tail = await readHealthTail(`${dir}/scores.csv`, 30, { firstBlock });
      assert.ok(tail);
      assert.deepEqual(healthTrend(tail.t, tail.health), whole, `block ${firstBlock}`);
      // Rows from before the window are read only as far as the block reaches back.
      if (firstBlock === 1000 || firstBlock === 4096) assert.ok(tail.t.length < all.t.length);
      const day0 = whole!.day0;
      assert.ok(tail.t[0] < day0, "one row before the window at least");
    }
  } finally {
    await cleanup();
  }
});

Deno.test("readHealthTail() reads short, empty and health-less files and returns null for a missing one", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    assert.equal(await readHealthTail(`${dir}/none.csv`), null);
    await Deno.writeTextFile(`${dir}/short.csv`, scoresText(5));
    const short = await readHealthTail(`${dir}/short.csv`, 30, { firstBlock: 16 });
    assert.equal(short!.t.length, 5);
    assert.deepEqual([...short!.health], [100, 99.5, 99, 98.5, 98]);
    assert.deepEqual([...short!.alarm], [0, 0, 0, 0, 0]);
    await Deno.writeTextFile(`${dir}/header.csv`, "timestamp,health");
    assert.equal((await readHealthTail(`${dir}/header.csv`))!.t.length, 0);
    await Deno.writeTextFile(`${dir}/nohealth.csv`, "timestamp,fused\n2024-01-01T00:00:00,1\n");
    const none = await readHealthTail(`${dir}/nohealth.csv`);
    assert.equal(none!.t.length, 1);
    assert.ok(Number.isNaN(none!.health[0]));
    assert.ok(Number.isNaN(none!.alarm[0]), "no alarm column");
  } finally {
    await cleanup();
  }
});
