/**
 * expected.csv writing cost: `expectedCsvBytes` over one fleet-sized chunk (40 sensors ×
 * 10,080 rows, 7 days at 1 min), full precision against the csv sink's `expected_digits`
 * rounding. Expected values are a level + a daily cycle + noise (full-precision doubles, as a
 * model gives), residuals = a 2-decimal reading − expected. Prints a table: digits, bytes,
 * best-of-N CPU ms.
 *
 *   deno run -A bench/expected_csv.ts [--repeat 7] [--digits 0,7,5]
 */
import { parseArgs } from "node:util";
import { createRng } from "../core/rng.ts";
import { expectedCsvBytes } from "../core/io/csv_outputs.ts";
import type { ScoredChunk } from "../core/plugin.ts";
import { fix, int, mdTable } from "./_table.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    repeat: { type: "string", default: "7" },
    digits: { type: "string", default: "0,7" },
  },
});
const SENSORS = 40, ROWS = 10_080;

/** A chunk with only what `expectedCsvBytes` reads (timestamps, traces); seeded. */
function chunk(): ScoredChunk {
  const rng = createRng(11);
  const timestamps = new Float64Array(ROWS);
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < ROWS; i++) timestamps[i] = t0 + i * 60_000;
  const expected = new Float64Array(SENSORS * ROWS), residual = new Float64Array(SENSORS * ROWS);
  for (let j = 0; j < SENSORS; j++) {
    const level = 10 + rng.next() * 990, amp = level * 0.05;
    for (let i = 0; i < ROWS; i++) {
      const e = level + amp * Math.sin((2 * Math.PI * i) / 1440) + rng.normal() * amp * 0.1;
      const reading = Math.round((e + rng.normal() * amp * 0.02) * 100) / 100;
      expected[j * ROWS + i] = e;
      residual[j * ROWS + i] = reading - e;
    }
  }
  const sensors = Array.from({ length: SENSORS }, (_, j) => `sensor_${j + 1}`);
  return { timestamps, traces: { sensors, expected, residual } } as unknown as ScoredChunk;
}

const c = chunk();
const repeat = Number(args.repeat);
const rows: string[][] = [];
for (const d of args.digits.split(",").map(Number)) {
  let ms = Infinity, bytes = 0;
  for (let r = 0; r < repeat; r++) {
    const t = performance.now();
    bytes = expectedCsvBytes(c, d)!.length;
    ms = Math.min(ms, performance.now() - t);
  }
  rows.push([String(d), int(bytes), fix(ms, 1)]);
}
console.log(`expectedCsvBytes, ${SENSORS} sensors × ${int(ROWS)} rows, best of ${repeat}\n`);
console.log(mdTable(["expected_digits", "bytes", "ms"], rows));
