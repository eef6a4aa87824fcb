import assert from "node:assert/strict";
import {
  findReferencePredictions,
  formatLikeForLike,
  rescoreReference,
  rescoreReferenceFile,
} from "../../../core/eval/like_for_like.ts";
import { formatSkabTimestamp, type SkabLabels } from "../../../core/eval/skab_files.ts";

const SKAB = "/work/shared/datasets/skab";
const skabPresent = await Deno.stat(`${SKAB}/reference-predictions/predictions_rle.json`)
  .then(() => true, () => false);

const T0 = Date.UTC(2020, 0, 1);
const ts = (row: number) => formatSkabTimestamp(T0 + row * 1000);

/** 500 rows at 1 s; anomalous rows 430..459, one changepoint at 430 (window 430..490 s). */
function labels(): SkabLabels {
  const timestamps = Float64Array.from({ length: 500 }, (_, i) => T0 + i * 1000);
  const anomaly = Uint8Array.from({ length: 500 }, (_, i) => (i >= 430 && i < 460 ? 1 : 0));
  const changepoint = Uint8Array.from({ length: 500 }, (_, i) => (i === 430 ? 1 : 0));
  return { timestamps, anomaly, changepoint };
}

// Alarm on the anomaly (rise at 430: detection; fall at 460: inside the window, ignored) and
// two one-row blips at 493 and 495, after the window: raw, 4 events there (4 FPs); after a
// 30-row rolling max, one rise at 493 and no fall before the end (1 FP).
const SERIES = { ones: [[ts(430), ts(459)], [ts(493), ts(493)], [ts(495), ts(495)]] };

Deno.test("rescoreReference() scores each algorithm on the given files only, Isolation_Forest with a 30-row rolling max", () => {
  const truth = new Map([["valve1/0.csv", labels()], ["valve1/1.csv", labels()]]);
  const json = {
    A: { "valve1/0.csv": SERIES, "valve1/1.csv": SERIES, "other/9.csv": { ones: [] } },
    Isolation_Forest: { "valve1/0.csv": SERIES, "valve1/1.csv": SERIES },
    B: { "valve1/0.csv": SERIES },
  };
  const out = rescoreReference(json, truth, "p.json", { labels: { A: "Algo A" } });
  assert.deepEqual(out.files, ["valve1/0.csv", "valve1/1.csv"]);
  assert.equal(out.testRows, 200);
  const byKey = new Map(out.rows.map((r) => [r.key, r]));
  const a = byKey.get("A")!;
  assert.equal(a.label, "Algo A");
  // per file: TP 30, FP 2, FN 0, TN 68 → F1 = 60 / (60 + 2) = 0.97, FAR = 4/140
  assert.deepEqual([a.f1, a.farPct, a.marPct, a.missedCps, a.fps], [0.97, 2.86, 0, 0, 8]);
  const iso = byKey.get("Isolation_Forest")!;
  assert.equal(iso.label, "Isolation forest");
  assert.deepEqual([iso.f1, iso.missedCps, iso.fps], [0.97, 0, 2]);
  assert.ok((iso.nabStandard as number) > (a.nabStandard as number));
  assert.match(iso.note ?? "", /30-row rolling max/);
  assert.equal(byKey.has("B"), false);
  assert.match(
    out.notes.join("\n"),
    /left out B: no stored predictions for 1 of the 2 file\(s\) \(valve1\/1\.csv\)/,
  );
  // always-on recomputed on these two files: F1 = 60 / (60 + 140/2); its only event is the
  // rise at the first test row, before the window: 1 FP and 1 missed changepoint per file
  const on = byKey.get("always_on")!;
  assert.deepEqual([on.f1, on.farPct, on.missedCps, on.fps], [0.46, 100, 2, 2]);
  assert.equal(byKey.get("perfect")?.nabStandard, 100);
});

Deno.test("rescoreReference() notes predictions that cover fewer test rows and skips unreadable algorithms", () => {
  const truth = new Map([["valve1/0.csv", labels()]]);
  const late = { first: ts(405), last: ts(499), ones: [[ts(430), ts(459)]] };
  const out = rescoreReference(
    { Late: { "valve1/0.csv": late }, Bad: { "valve1/0.csv": { ones: "x" } }, _about: "text" },
    truth,
    "p.json",
  );
  assert.deepEqual(out.rows.map((r) => r.key), ["Late", "perfect", "always_on", "null"]);
  assert.equal(out.rows[0].note, "predictions cover 95 of the 100 test rows");
  assert.equal(out.rows[0].f1, 1);
  assert.match(out.notes[0], /^left out Bad: Cannot read alarms of "valve1\/0\.csv"/);
  assert.throws(() => rescoreReference([1], truth, "p.json"), /Cannot re-score "p\.json"/);
});

Deno.test("formatLikeForLike() names the files, marks our row among the re-scored ones and prints the notes", () => {
  const truth = new Map([["valve1/0.csv", labels()], ["valve1/1.csv", labels()]]);
  const json = {
    Isolation_Forest: { "valve1/0.csv": SERIES, "valve1/1.csv": SERIES },
    B: { "valve1/0.csv": SERIES },
  };
  const lfl = rescoreReference(json, truth, "p.json");
  const ours = { ...lfl.rows[0], key: "ours", label: "acm", f1: 0.99, nabStandard: -5 };
  const text = formatLikeForLike(ours, lfl);
  assert.match(
    text,
    /^Leaderboard \(re-scored on the same 2 files, 200 test rows; stored predictions p\.json\)/,
  );
  // F1: perfect 1, ours 0.99, Isolation forest 0.97; NAB: ours (−5) below the null detector (0)
  assert.match(text, /Perfect detector\s+1\s+0\s+0\nacm ◀\s+0\.99[^\n]*\nIsolation forest\s+0\.97/);
  assert.match(text, /Null detector\s+0\s+0\s+0\s+–\s+–\nacm ◀\s+-5/);
  assert.match(text, /note: Isolation forest: changepoints from a 30-row rolling max/);
  assert.match(text, /note: left out B:/);
  assert.doesNotMatch(text, /definitional/);
});

Deno.test("findReferencePredictions() looks in DIR/reference-predictions, then DIR/../reference-predictions", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/data/valve1`, { recursive: true });
    assert.equal(await findReferencePredictions(`${root}/data`), null);
    await Deno.mkdir(`${root}/reference-predictions`);
    await Deno.writeTextFile(`${root}/reference-predictions/predictions_rle.json`, "{}");
    assert.equal(
      await findReferencePredictions(`${root}/data`),
      `${root}/reference-predictions/predictions_rle.json`,
    );
    await Deno.mkdir(`${root}/data/reference-predictions`);
    await Deno.writeTextFile(`${root}/data/reference-predictions/predictions_rle.json`, "{}");
    assert.equal(
      await findReferencePredictions(`${root}/data`),
      `${root}/data/reference-predictions/predictions_rle.json`,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("rescoreReferenceFile() throws naming the file when it is not JSON", async () => {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(file, "not json");
    await assert.rejects(
      rescoreReferenceFile(file, "/nonexistent", []),
      /Cannot read reference predictions ".*\.json"/,
    );
  } finally {
    await Deno.remove(file);
  }
});

Deno.test({
  name: "rescoreReferenceFile() re-scores the published algorithms on SKAB's 16 valve1 files",
  ignore: !skabPresent,
  fn: async () => {
    const keys = Array.from({ length: 16 }, (_, i) => `valve1/${i}.csv`);
    const out = await rescoreReferenceFile(
      `${SKAB}/reference-predictions/predictions_rle.json`,
      SKAB,
      keys,
    );
    assert.deepEqual(out.notes, []);
    assert.equal(out.files.length, 16);
    const byKey = new Map(out.rows.map((r) => [r.key, r]));
    const conv = byKey.get("Conv_AE")!;
    assert.deepEqual(
      [conv.f1, conv.farPct, conv.marPct, conv.nabStandard, conv.nabLowFP, conv.nabLowFN],
      [0.75, 14.4, 31.84, 20.9, 18.88, 24.52],
    );
    assert.deepEqual([conv.missedCps, conv.fps], [43, 12]);
    assert.equal(byKey.get("MSCRED")?.nabStandard, 36.69);
    // ten published algorithms plus perfect, always-on and null
    assert.equal(out.rows.length, 13);
  },
});
