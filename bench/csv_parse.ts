/**
 * CSV reading speed: the hand-written reader (core/source) against papaparse on a generated
 * ~25 MB numeric CSV (ISO timestamp + 12 sensor columns). Prints a table: reader, MB/s, rows/s.
 *
 *   deno run -A bench/csv_parse.ts [--mb 25] [--repeat 3]
 *
 * Both "tokenize" rows stop at field strings/ranges; both "to frame" rows end with a
 * column-major Float64Array frame and epoch-ms timestamps, so they do the same work.
 */
import Papa from "papaparse";
import { parseArgs } from "node:util";
import { createRng } from "../core/rng.ts";
import { CsvScanner } from "../core/source/csv_scanner.ts";
import { readCsvText } from "../core/source/csv_reader.ts";
import { parseTimestamp } from "../core/source/timestamp.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: { mb: { type: "string", default: "25" }, repeat: { type: "string", default: "3" } },
});
const targetBytes = Number(args.mb) * 1e6;
const repeat = Number(args.repeat);
const SENSORS = 12;

/** Generates the benchmark CSV text (seeded, so every run reads the same bytes). */
function generate(): { text: string; rows: number } {
  const rng = createRng(7);
  const header = ["timestamp", ...Array.from({ length: SENSORS }, (_, j) => `sensor_${j + 1}`)];
  const lines = [header.join(",")];
  let bytes = lines[0].length + 1;
  let t = Date.UTC(2020, 0, 1);
  const level = Array.from({ length: SENSORS }, () => rng.next() * 500);
  while (bytes < targetBytes) {
    const iso = new Date(t).toISOString().slice(0, 19);
    const cells = [iso];
    for (let j = 0; j < SENSORS; j++) {
      const v = level[j] + rng.normal() * (j + 1);
      cells.push(rng.next() < 0.002 ? "" : v.toFixed(j % 2 === 0 ? 4 : 6));
    }
    const line = cells.join(",");
    lines.push(line);
    bytes += line.length + 1;
    t += 10_000;
  }
  return { text: lines.join("\n") + "\n", rows: lines.length - 1 };
}

function best(fn: () => number): { ms: number; check: number } {
  let ms = Infinity;
  let check = 0;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    check = fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, check };
}

const dir = await Deno.makeTempDir({ prefix: "acm_csv_bench_" });
try {
  const { text: generated, rows } = generate();
  const path = `${dir}/bench.csv`;
  await Deno.writeTextFile(path, generated);
  const text = await Deno.readTextFile(path);
  const mb = new TextEncoder().encode(text).length / 1e6;

  const readers: [string, () => number][] = [
    ["acm CsvScanner (tokenize)", () => {
      const sc = new CsvScanner(text, 44);
      let fields = 0;
      while (sc.next()) fields += sc.fieldCount;
      return fields;
    }],
    ["papaparse (tokenize)", () => {
      const out = Papa.parse<string[]>(text, { skipEmptyLines: true });
      return out.data.reduce((s: number, r: string[]) => s + r.length, 0);
    }],
    ["acm readCsvText (to frame)", () => readCsvText(text).frame.rows],
    ["papaparse + Number (to frame)", () => {
      const out = Papa.parse<string[]>(text, { skipEmptyLines: true });
      const data = out.data;
      const n = data.length - 1;
      const cols = data[0].length - 1;
      const values = new Float64Array(n * cols);
      const ts = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        const row = data[r + 1];
        ts[r] = parseTimestamp(row[0]);
        for (let j = 0; j < cols; j++) {
          const cell = row[j + 1];
          values[j * n + r] = cell === "" ? NaN : Number(cell);
        }
      }
      return n;
    }],
    ["papaparse dynamicTyping (rows)", () => {
      const out = Papa.parse<unknown[]>(text, { skipEmptyLines: true, dynamicTyping: true });
      return out.data.length - 1;
    }],
  ];

  console.log(
    `input: ${mb.toFixed(1)} MB, ${rows} rows × ${SENSORS + 1} columns, best of ${repeat}`,
  );
  console.log("| reader | MB/s | rows/s | ms |");
  console.log("|---|---:|---:|---:|");
  for (const [name, fn] of readers) {
    const { ms } = best(fn);
    const s = ms / 1000;
    console.log(
      `| ${name} | ${(mb / s).toFixed(1)} | ${Math.round(rows / s).toLocaleString("en-US")} | ${
        ms.toFixed(0)
      } |`,
    );
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
