/**
 * Feature, fusion, source and sink cases of the contract suite.
 *  - feature: same rows and timestamps out, a `sensors` entry per output column
 *    naming an input sensor, a sane lookback, deterministic output, and (for a
 *    row lookback) the rows after a chunk edge equal the unbroken series' rows
 *    when the previous chunk's last `lookback.rows` rows are prepended;
 *  - fusion: fused is finite with one value per row and equals the sum of the
 *    heads' contributions row by row;
 *  - source: reads a small CSV into the rows, sensors and values it holds;
 *  - sink: open/write/close of two chunks writes only under its directory,
 *    and writing a chunk again replaces its rows (same files as writing once).
 */
import assert from "node:assert/strict";
import { type Frame, sliceRows } from "../../../core/frame.ts";
import type { FeatureTransform, Fusion, Sink, SinkPlugin, Source } from "../../../core/plugin.ts";
import { makeScoredChunks, snapshotDir } from "../../_helpers/scored_chunk.ts";
import { close, contractFrame, headScores, sensorCsv } from "./_contract_data.ts";
import type { ContractCase } from "./contract_suite.ts";

/** Registers the feature cases of `c`. */
export function featureContract(c: ContractCase): void {
  const input = c.opts.frames?.test ?? contractFrame(300, 0, true);
  for (const { name, options } of c.optionSets()) {
    Deno.test(`${c.label} (${name}): transform() keeps rows and timestamps and maps columns to sensors`, () => {
      const f = c.create<FeatureTransform>(options);
      const { rows, ms } = f.lookback;
      assert.ok(Number.isInteger(rows) && rows >= 0, `lookback.rows is ${rows}`);
      assert.ok(Number.isFinite(ms) && ms >= 0, `lookback.ms is ${ms}`);
      const out = f.transform(input);
      assert.equal(out.rows, input.rows);
      assert.deepEqual([...out.timestamps], [...input.timestamps]);
      assert.ok(out.columns.length > 0, "at least one output column");
      assert.equal(out.sensors.length, out.columns.length);
      assert.equal(new Set(out.columns).size, out.columns.length, "output column names are unique");
      for (const s of out.sensors) {
        assert.ok(input.sensors.includes(s), `sensor "${s}" is an input sensor`);
      }
      assertSameFrame(
        c.create<FeatureTransform>(options).transform(input),
        out,
        0,
        "a second instance",
      );
    });

    Deno.test(`${c.label} (${name}): transform() continues across a chunk edge given lookback rows`, () => {
      const f = c.create<FeatureTransform>(options);
      const { rows: back, ms } = f.lookback;
      const edge = Math.floor(input.rows / 2);
      const start = ms > 0
        ? Math.max(0, input.timestamps.findIndex((t) => t >= input.timestamps[edge] - ms) - back)
        : Math.max(0, edge - back);
      const whole = f.transform(input);
      const part = f.transform(sliceRows(input, start, input.rows));
      assertSameFrame(
        sliceRows(part, edge - start, part.rows),
        sliceRows(whole, edge, whole.rows),
        1e-9,
        "after the edge",
      );
    });
  }
}

function assertSameFrame(a: Frame, b: Frame, rel: number, what: string): void {
  assert.deepEqual(a.columns, b.columns, `${what}: columns`);
  assert.equal(a.rows, b.rows, `${what}: rows`);
  for (let j = 0; j < b.columns.length; j++) {
    for (let i = 0; i < b.rows; i++) {
      const x = a.values[j * a.rows + i], y = b.values[j * b.rows + i];
      const ok = rel === 0 ? Object.is(x, y) : close(x, y, rel);
      if (!ok) assert.fail(`${what}: column "${b.columns[j]}" row ${i} is ${x}, expected ${y}`);
    }
  }
}

/** Registers the fusion cases of `c`. */
export function fusionContract(c: ContractCase): void {
  const rows = 200;
  const z = headScores(rows);
  for (const { name, options } of c.optionSets()) {
    Deno.test(`${c.label} (${name}): fuse() gives finite rows whose head contributions add up`, () => {
      const { fused, contributions } = c.create<Fusion>(options).fuse(z, rows);
      assert.equal(fused.length, rows);
      assert.equal(fused.findIndex((v) => !Number.isFinite(v)), -1, "fused is finite");
      for (const [head, share] of Object.entries(contributions)) {
        assert.ok(head in z, `contribution of unknown head "${head}"`);
        assert.equal(share.length, rows);
      }
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        for (const share of Object.values(contributions)) sum += share[i];
        assert.ok(
          close(sum, fused[i], 1e-9),
          `row ${i}: contributions add to ${sum}, fused is ${fused[i]}`,
        );
      }
      const again = c.create<Fusion>(options).fuse(z, rows).fused;
      assert.equal(again.findIndex((v, i) => !Object.is(v, fused[i])), -1, "deterministic");
    });
  }
}

/** Registers the source cases of `c`. */
export function sourceContract(c: ContractCase): void {
  const sample = sensorCsv();
  const file = c.opts.sourceFile ??
    {
      name: "chunk.csv",
      text: sample.text,
      rows: sample.timestamps.length,
      columns: sample.columns,
    };
  // Examples describe other file layouts: read the sample with the first option set only.
  for (const { name, options } of c.optionSets().slice(0, 1)) {
    Deno.test(`${c.label} (${name}): read() turns a small input file into its frame`, async () => {
      const dir = await Deno.makeTempDir({ prefix: "acm_contract_" });
      try {
        await Deno.writeTextFile(`${dir}/${file.name}`, file.text);
        const { frame, notes } = await c.create<Source>(options).read(`${dir}/${file.name}`);
        assert.ok(Array.isArray(notes));
        assert.equal(frame.rows, file.rows);
        for (const col of file.columns) {
          assert.ok(frame.columns.includes(col), `column "${col}" read`);
        }
        for (let i = 1; i < frame.rows; i++) {
          assert.ok(frame.timestamps[i] > frame.timestamps[i - 1]);
        }
        if (!c.opts.sourceFile) {
          assert.deepEqual([...frame.timestamps], sample.timestamps);
          sample.columns.forEach((col, k) => {
            const j = frame.columns.indexOf(col);
            const got = [...frame.values.subarray(j * frame.rows, (j + 1) * frame.rows)];
            assert.deepEqual(got, sample.values[k], `values of "${col}"`);
          });
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
}

/** Registers the sink cases of `c`. */
export function sinkContract(c: ContractCase): void {
  const chunks = makeScoredChunks({ asset: "PUMP_A", chunks: 2, rowsPerChunk: 96 });
  const scope = (c.plugin as SinkPlugin).scope ?? "asset";
  const run = async (root: string, options: Record<string, unknown>, order: number[]) => {
    const artifactRoot = `${root}/art`;
    const assetDir = `${artifactRoot}/PUMP_A`;
    await Deno.mkdir(assetDir, { recursive: true });
    const sink = c.create<Sink>(options);
    await sink.open?.({
      asset: "PUMP_A",
      assetDir: scope === "fleet" ? artifactRoot : assetDir,
      artifactRoot,
    });
    for (const k of order) {
      await c.opts.beforeSinkWrite?.(assetDir, chunks[k]);
      await sink.write(chunks[k]);
    }
    await sink.close?.();
    return artifactRoot;
  };
  const volatile = c.opts.volatileFiles ?? /\.(sqlite|db)(-wal|-shm)?$/;
  const stable = (files: Record<string, string>) =>
    Object.fromEntries(Object.entries(files).filter(([k]) => !volatile.test(k)));
  for (const { name, options } of c.optionSets()) {
    Deno.test(`${c.label} (${name}): open/write/close writes only under the artifact root; a rewrite replaces rows`, async () => {
      const [a, b] = [await Deno.makeTempDir(), await Deno.makeTempDir()];
      try {
        const art = await run(a, options, [0, 1]);
        const entries = [...Deno.readDirSync(a)].map((e) => e.name);
        assert.deepEqual(entries, ["art"], "nothing written beside the artifact root");
        const once = await snapshotDir(art);
        assert.ok(Object.keys(once).length > 0, "something was written");
        const twice = await snapshotDir(await run(b, options, [0, 1, 1]));
        assert.deepEqual(Object.keys(stable(twice)), Object.keys(stable(once)));
        for (const [k, v] of Object.entries(stable(once))) {
          assert.equal(stable(twice)[k], v, `file ${k}`);
        }
      } finally {
        await Deno.remove(a, { recursive: true });
        await Deno.remove(b, { recursive: true });
      }
    });
  }
}
