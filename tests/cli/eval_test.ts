/**
 * End-to-end tests of `acm eval skab`, run as a subprocess of cli/eval.ts: the
 * --alarms-only mode on a made-up labels folder (always) and on SKAB's labels (when
 * /work/shared is present), argument errors, and the pipeline mode once the engine exists.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { formatSkabTimestamp, parseSkabTimestamp } from "../../core/eval/skab_files.ts";
import evalCommand, { runSkabPipeline } from "../../cli/eval.ts";
import { captureConsole } from "../_helpers/console.ts";
import { column, type Frame, makeFrame } from "../../core/frame.ts";
import type { Pipeline } from "../../core/pipeline/types.ts";
import type { FittedModel } from "../../core/engine/types.ts";
import type { ScoredChunk } from "../../core/plugin.ts";

const EVAL = fileURLToPath(new URL("../../cli/eval.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SKAB = "/work/shared/datasets/skab";
const exists = (p: string) => Deno.stat(p).then(() => true, () => false);
const skabPresent = await exists(`${SKAB}/labels`);
const engineExists = await exists(`${ROOT}core/engine/fit.ts`);
// pipelines/skab.yaml once it exists, the default pipeline until then
const PIPELINE = await exists(`${ROOT}pipelines/skab.yaml`)
  ? `${ROOT}pipelines/skab.yaml`
  : `${ROOT}pipelines/default.yaml`;

async function acmEval(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", EVAL, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const T0 = Date.UTC(2020, 0, 1);

/** Labels files of 500 rows at 1 s with one anomaly per file (rows 430.. 430+len). */
async function makeLabels(dir: string, files: Record<string, number>): Promise<void> {
  for (const [key, len] of Object.entries(files)) {
    const lines = ["datetime;anomaly;changepoint"];
    for (let i = 0; i < 500; i++) {
      const a = i >= 430 && i < 430 + len ? "1.0" : "0.0";
      const cp = i === 430 || i === 430 + len ? "1.0" : "0.0";
      lines.push(`${formatSkabTimestamp(T0 + i * 1000)};${a};${cp}`);
    }
    await Deno.mkdir(`${dir}/${key.split("/")[0]}`, { recursive: true });
    await Deno.writeTextFile(`${dir}/${key}`, lines.join("\n") + "\n");
  }
}

/** An alarm file equal to the labels' anomaly column on the test rows (runs of 1s). */
async function alarmsFromLabels(
  labelsDir: string,
  keys: string[],
): Promise<Record<string, string[][]>> {
  const out: Record<string, string[][]> = {};
  for (const key of keys) {
    const rows = (await Deno.readTextFile(`${labelsDir}/${key}`)).split(/\r?\n/).slice(1)
      .filter((l) => l.trim() !== "").map((l) => l.split(";"));
    const runs: string[][] = [];
    for (let i = 400; i < rows.length; i++) {
      if (Number(rows[i][1]) !== 1) continue;
      let j = i;
      while (j + 1 < rows.length && Number(rows[j + 1][1]) === 1) j++;
      runs.push([rows[i][0], rows[j][0]]);
      i = j;
    }
    out[key] = runs;
  }
  return out;
}

Deno.test("acm eval skab --alarms-only prints F1 1, FAR 0, MAR 0 for alarms equal to the labels", async () => {
  const root = await Deno.makeTempDir();
  try {
    const keys = ["valve1/0.csv", "valve1/1.csv", "other/3.csv"];
    await makeLabels(`${root}/labels`, { [keys[0]]: 20, [keys[1]]: 40, [keys[2]]: 70 });
    const alarms = `${root}/alarms.json`;
    await Deno.writeTextFile(
      alarms,
      JSON.stringify(await alarmsFromLabels(`${root}/labels`, keys)),
    );
    const json = `${root}/out.json`;
    const r = await acmEval([
      "skab",
      "--alarms-only",
      alarms,
      "--labels",
      `${root}/labels`,
      "--json",
      json,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /F1 1 {3}FAR 0 % {3}MAR 0 %/);
    assert.match(r.stdout, /files 3, test rows 300 \(TP 130, FP 0, FN 0, TN 170\)/);
    assert.match(r.stdout, /Leaderboard \(published, all 34 files; published table \(embedded\)\)/);
    assert.match(r.stdout, /alarm file ◀/);
    // no stored predictions anywhere near: one line on how to get like-for-like rows
    assert.match(
      r.stdout,
      /note: the published rows pool all 34 SKAB files, not these 3; .*predictions_rle\.json.*--reference FILE/,
    );
    assert.doesNotMatch(r.stdout, /re-scored/);
    const report = JSON.parse(await Deno.readTextFile(json));
    assert.equal(report.summary.f1, 1);
    assert.equal(report.summary.farPct, 0);
    assert.equal(report.files.length, 3);
    // rises at the changepoints; the falls at 450 s / 470 s sit in the first window, the fall at
    // 500 s is past the last row: every file detects its first changepoint
    assert.equal(report.summary.nab.fps, 0);
    assert.equal(report.likeForLike, null);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name:
    "acm eval skab --alarms-only on SKAB's labels scores labels-as-alarms 54.73 beside the leaderboard",
  ignore: !skabPresent,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      const labels = `${SKAB}/labels`;
      const keys: string[] = [];
      for (const g of ["other", "valve1", "valve2"]) {
        for await (const e of Deno.readDir(`${labels}/${g}`)) keys.push(`${g}/${e.name}`);
      }
      const alarms = `${root}/alarms.json`;
      await Deno.writeTextFile(alarms, JSON.stringify(await alarmsFromLabels(labels, keys)));
      const r = await acmEval(["skab", "--alarms-only", alarms, "--labels", labels]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /F1 1 {3}FAR 0 % {3}MAR 0 %/);
      assert.match(r.stdout, /NAB standard 54\.73 {3}LowFP 54\.03 {3}LowFN 56\.96/);
      assert.match(r.stdout, /changepoints 127, missed 49, FPs 1/);
      assert.match(r.stdout, /Leaderboard \(published, all 34 files; .*expected_metrics\.json\)/);
      // all 34 files scored: the published rows are like-for-like already
      assert.doesNotMatch(r.stdout, /re-scored|not like-for-like|--reference FILE/);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("acm eval skab --reference re-scores the stored predictions on the same files and marks our row", async () => {
  const root = await Deno.makeTempDir();
  try {
    const keys = ["valve1/0.csv", "valve1/1.csv"];
    await makeLabels(`${root}/labels`, { [keys[0]]: 20, [keys[1]]: 40 });
    const ours = await alarmsFromLabels(`${root}/labels`, keys);
    await Deno.writeTextFile(`${root}/alarms.json`, JSON.stringify(ours));
    // Conv_AE alarms on every test row; MSET on none; LSTM_AE lacks valve1/1.csv;
    // other/3.csv is not one of ours and must not be scored
    const all = [[formatSkabTimestamp(T0 + 400_000), formatSkabTimestamp(T0 + 499_000)]];
    const reference = {
      Conv_AE: { [keys[0]]: all, [keys[1]]: all, "other/3.csv": [] },
      MSET: { [keys[0]]: [], [keys[1]]: [] },
      LSTM_AE: { [keys[0]]: all },
    };
    await Deno.writeTextFile(`${root}/preds.json`, JSON.stringify(reference));
    const json = `${root}/out.json`;
    const args = ["skab", "--alarms-only", `${root}/alarms.json`, "--labels", `${root}/labels`];
    const r = await acmEval([...args, "--reference", `${root}/preds.json`, "--json", json]);
    assert.equal(r.code, 0, r.stderr);
    const [published, rescored] = r.stdout.split(/\nLeaderboard \(re-scored/);
    assert.match(published, /Leaderboard \(published, all 34 files;/);
    assert.ok(rescored, r.stdout);
    assert.match(
      rescored,
      /^ on the same 2 files, 200 test rows; stored predictions .*preds\.json\)/,
    );
    // always-on on these files: TP 60, FP 140 → F1 0.46, FAR 100, MAR 0, sorted below ours (1)
    assert.match(rescored, /alarm file ◀\s+1\s+0\s+0\n[^\n]*\nConv-AE\s+0\.46\s+100\s+0\n/);
    assert.match(rescored, /MSET\s+0\s+0\s+100/);
    assert.doesNotMatch(rescored, /LSTM-AE\s/);
    assert.match(rescored, /note: left out LSTM_AE: no stored predictions for 1 of the 2 file/);
    const report = JSON.parse(await Deno.readTextFile(json));
    assert.deepEqual(report.likeForLike.files, keys);
    const conv = report.likeForLike.rows.find((x: { key: string }) => x.key === "Conv_AE");
    assert.deepEqual([conv.f1, conv.farPct, conv.marPct], [0.46, 100, 0]);
    assert.equal(
      report.likeForLike.rows.filter((x: { key: string }) => x.key === "MSET").length,
      1,
    );
    // an explicit --reference that cannot be read is an error
    const bad = await acmEval([...args, "--reference", `${root}/nope.json`]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Cannot read reference predictions ".*nope\.json"/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name:
    "acm eval skab on the valve1 subset finds SKAB's stored predictions and prints Conv-AE re-scored on 16 files",
  ignore: !skabPresent,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      const all = JSON.parse(
        await Deno.readTextFile(`${SKAB}/reference-predictions/predictions_rle.json`),
      ).Conv_AE as Record<string, unknown>;
      const valve1 = Object.fromEntries(
        Object.entries(all).filter(([k]) => k.startsWith("valve1/")),
      );
      await Deno.writeTextFile(`${root}/conv.json`, JSON.stringify(valve1));
      const json = `${root}/out.json`;
      // --labels is the dataset folder itself: its valve1/ CSVs carry the labels, and
      // reference-predictions/ sits inside it
      const r = await acmEval([
        "skab",
        "--alarms-only",
        `${root}/conv.json`,
        "--labels",
        SKAB,
        "--json",
        json,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const rescored = r.stdout.split(/\nLeaderboard \(re-scored/)[1] ?? "";
      assert.match(rescored, /^ on the same 16 files, 11760 test rows;/);
      // our alarm file is Conv-AE's own predictions: both rows agree
      const cp = /alarm file ◀\s+20\.9\s+18\.88\s+24\.52\s+43\s+12\n/;
      assert.match(rescored, cp);
      assert.match(rescored, /Conv-AE\s+20\.9\s+18\.88\s+24\.52\s+43\s+12\n/);
      assert.match(rescored, /Conv-AE\s+0\.75\s+14\.4\s+31\.84\n/);
      assert.match(rescored, /MSCRED\s+36\.69\s/);
      const report = JSON.parse(await Deno.readTextFile(json));
      const byKey = new Map(
        report.likeForLike.rows.map((x: { key: string }) => [x.key, x]),
      );
      assert.equal(report.likeForLike.rows.length, 13);
      assert.equal((byKey.get("MSCRED") as { nabStandard: number }).nabStandard, 36.69);
      assert.deepEqual(report.row.nabStandard, 20.9);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

/** Runs the command in-process, capturing what it prints. */
async function runCaptured(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await captureConsole(() => evalCommand.run(args));
  return { code: r.code, stdout: r.out, stderr: r.err };
}

Deno.test("eval.run() prints a usage error and returns 2 on a bad flag or a missing mode, 0 on --help", async () => {
  const bad = await runCaptured(["skab", "--bogus"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown option --bogus[\s\S]*acm eval --help/);
  const none = await runCaptured(["skab"]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /give --data DIR or --alarms-only FILE/);
  const noLabels = await runCaptured(["skab", "--alarms-only", "x.json"]);
  assert.equal(noLabels.code, 2);
  assert.match(noLabels.stderr, /--alarms-only needs --labels DIR/);
  const other = await runCaptured(["nab", "--data", "x"]);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /unknown benchmark "nab"/);
  const badInt = await runCaptured(["skab", "--data", "x", "--train-rows", "1.5"]);
  assert.equal(badInt.code, 2);
  assert.match(badInt.stderr, /--train-rows: "1.5" is not a non-negative integer/);
  const help = await runCaptured(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /acm eval skab --alarms-only FILE --labels DIR/);
  const missing = await runCaptured([
    "skab",
    "--alarms-only",
    "/nonexistent/a.json",
    "--labels",
    "/x",
  ]);
  assert.equal(missing.code, 1);
});

Deno.test({
  name: "acm eval skab --data fits on 400 rows and scores the rest of 2 valve1 files",
  ignore: !engineExists || !skabPresent,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      await Deno.mkdir(`${root}/data/valve1`, { recursive: true });
      for (const f of ["0.csv", "1.csv"]) {
        await Deno.copyFile(`${SKAB}/valve1/${f}`, `${root}/data/valve1/${f}`);
      }
      const json = `${root}/out.json`;
      const saved = `${root}/alarms.json`;
      const r = await acmEval([
        "skab",
        "--data",
        `${root}/data`,
        "--pipeline",
        PIPELINE,
        "--json",
        json,
        "--save-alarms",
        saved,
        "--reference",
        `${SKAB}/reference-predictions/predictions_rle.json`,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /fit ms\s+score ms/);
      assert.match(r.stdout, /Leaderboard \(re-scored on the same 2 files, 1492 test rows;/);
      const report = JSON.parse(await Deno.readTextFile(json));
      assert.deepEqual(report.files.map((f: { file: string }) => f.file), [
        "valve1/0.csv",
        "valve1/1.csv",
      ]);
      // valve1/0.csv has 1147 rows and valve1/1.csv 1145: 747 + 745 test rows
      assert.equal(report.summary.rows, 747 + 745);
      for (const f of report.files) assert.ok(f.fitMs >= 0 && f.scoreMs >= 0);
      assert.deepEqual(report.likeForLike.files, ["valve1/0.csv", "valve1/1.csv"]);
      assert.ok(report.summary.f1 >= 0 && report.summary.f1 <= 1);
      // the saved alarms, re-scored alone, give the same pooled result
      const again = await acmEval(["skab", "--alarms-only", saved, "--labels", `${root}/data`]);
      assert.equal(again.code, 0, again.stderr);
      const line = (s: string) => s.split("\n").find((l) => l.startsWith("NAB standard"));
      assert.equal(line(again.stdout), line(r.stdout));
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

/** A source that reads every numeric column of a `;` CSV, label columns included. */
function fakePipeline(): Pipeline {
  const read = async (path: string) => {
    const lines = (await Deno.readTextFile(path)).trim().split(/\r?\n/);
    const header = lines[0].split(";").slice(1);
    const n = lines.length - 1;
    const values = new Float64Array(n * header.length);
    const timestamps = new Float64Array(n);
    lines.slice(1).forEach((line, i) => {
      const f = line.split(";");
      timestamps[i] = parseSkabTimestamp(f[0]);
      header.forEach((_, j) => values[j * n + i] = Number(f[j + 1]));
    });
    return { frame: makeFrame({ columns: header, values, timestamps }), notes: [] };
  };
  const source = {
    id: "raw",
    pluginName: "fake",
    options: {},
    plugin: { create: () => ({ read }) },
  };
  return { name: "fake", seed: 1, source } as unknown as Pipeline;
}

Deno.test("runSkabPipeline() fits on 400 rows without label columns and scores the rest", async () => {
  const root = await Deno.makeTempDir();
  try {
    // 500 rows; s1 jumps from 0 to 10 on the anomalous rows 430..459 (file 0) / 470..499 (file 1)
    for (const [f, from] of [["0.csv", 430], ["1.csv", 470]] as const) {
      const lines = ["datetime;s1;s2;anomaly;changepoint"];
      for (let i = 0; i < 500; i++) {
        const a = i >= from && i < from + 30 ? 1 : 0;
        lines.push(
          `${formatSkabTimestamp(T0 + i * 1000)};${a * 10 + (i % 3) * 0.01};${i};${a};${
            i === from ? 1 : 0
          }`,
        );
      }
      await Deno.mkdir(`${root}/valve1`, { recursive: true });
      await Deno.writeTextFile(`${root}/valve1/${f}`, lines.join("\n") + "\n");
    }
    const fits: { rows: number; columns: readonly string[] }[] = [];
    const engine = {
      fitModel: (_p: Pipeline, frame: Frame) => {
        fits.push({ rows: frame.rows, columns: frame.columns });
        return Promise.resolve({ engine: {} } as unknown as FittedModel);
      },
      createScorer: () =>
        Promise.resolve({
          score: (frame: Frame) => {
            const s1 = column(frame, 0);
            const alarm = Uint8Array.from(s1, (x) => (x > 5 ? 1 : 0));
            const chunk = { timestamps: frame.timestamps, alarm } as unknown as ScoredChunk;
            return Promise.resolve({ chunk, stream: {} });
          },
        }),
    };
    const alarms = new Map();
    const out = await runSkabPipeline(root, fakePipeline(), engine, {
      trainRows: 400,
      cpRollingMaxRows: 0,
    }, alarms);
    assert.deepEqual(fits, [
      { rows: 400, columns: ["s1", "s2"] },
      { rows: 400, columns: ["s1", "s2"] },
    ]);
    assert.deepEqual(out.scores.map((s) => [s.file, s.rows, s.confusion.tp, s.confusion.fp]), [
      ["valve1/0.csv", 100, 30, 0],
      ["valve1/1.csv", 100, 30, 0],
    ]);
    assert.deepEqual([...out.timings!.keys()], ["valve1/0.csv", "valve1/1.csv"]);
    assert.equal(alarms.get("valve1/0.csv").timestamps[0], T0 + 400 * 1000);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("acm eval skab --json - prints only the JSON on stdout and the tables on stderr", async () => {
  const root = await Deno.makeTempDir();
  try {
    const keys = ["valve1/0.csv", "valve1/1.csv"];
    await makeLabels(`${root}/labels`, { [keys[0]]: 20, [keys[1]]: 40 });
    await Deno.writeTextFile(
      `${root}/alarms.json`,
      JSON.stringify(await alarmsFromLabels(`${root}/labels`, keys)),
    );
    const r = await acmEval([
      "skab",
      "--alarms-only",
      `${root}/alarms.json`,
      "--labels",
      `${root}/labels`,
      "--json",
      "-",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.mode, "alarms-only");
    assert.equal(report.summary.files, 2);
    assert.match(r.stderr, /Leaderboard \(published, all 34 files;/);
    assert.equal(await exists(`${root}/-`), false);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
