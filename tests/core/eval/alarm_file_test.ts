import assert from "node:assert/strict";
import { pickAlgorithm, scoreAlarmFile } from "../../../core/eval/alarm_file.ts";
import { formatSkabTimestamp } from "../../../core/eval/skab_files.ts";

const T0 = Date.UTC(2020, 0, 1);
const ts = (row: number) => formatSkabTimestamp(T0 + row * 1000);

/** A SKAB labels file: 460 rows at 1 s, anomalous rows 420..439, changepoints at 420 and 440. */
function labelsCsv(): string {
  const lines = ["datetime;anomaly;changepoint"];
  for (let i = 0; i < 460; i++) {
    const a = i >= 420 && i < 440 ? "1.0" : "0.0";
    lines.push(`${ts(i)};${a};${i === 420 || i === 440 ? "1.0" : "0.0"}`);
  }
  return lines.join("\r\n") + "\r\n";
}

async function withLabels(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/labels/valve1`, { recursive: true });
    await Deno.writeTextFile(`${root}/labels/valve1/0.csv`, labelsCsv());
    await Deno.writeTextFile(`${root}/labels/valve1/1.csv`, labelsCsv());
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("pickAlgorithm() takes the named algorithm and refuses to guess among several", () => {
  const multi = { A: { "v/0.csv": { ones: [] } }, B: { "v/0.csv": { ones: [] } } };
  assert.deepEqual(pickAlgorithm(multi, "B", "p.json"), multi.B);
  assert.throws(() => pickAlgorithm(multi, undefined, "p.json"), /several algorithms \(A, B\)/);
  assert.throws(() => pickAlgorithm(multi, "C", "p.json"), /Cannot pick algorithm "C"/);
  const single = { "v/0.csv": [["a", "b"]] };
  assert.equal(pickAlgorithm(single, undefined, "p.json"), single);
});

Deno.test("scoreAlarmFile() scores the files it has alarms for and notes the labelled ones it lacks", async () => {
  await withLabels(async (root) => {
    const file = `${root}/alarms.json`;
    await Deno.writeTextFile(file, JSON.stringify({ "valve1/0.csv": [[ts(420), ts(439)]] }));
    const { scores, notes } = await scoreAlarmFile(file, `${root}/labels`);
    assert.equal(scores.length, 1);
    assert.deepEqual(scores[0].confusion, { tp: 20, fp: 0, fn: 0, tn: 40 });
    // the falling edge at 440 s lies in the first window; the cut second window [480, 500] is missed
    assert.deepEqual([scores[0].nab.missed, scores[0].nab.fps], [1, 0]);
    assert.deepEqual(notes, ["no alarms for 1 labelled file(s): valve1/1.csv"]);
  });
});

Deno.test("scoreAlarmFile() starts plain run lists at the test rows but series at their `first`", async () => {
  await withLabels(async (root) => {
    const file = `${root}/alarms.json`;
    // an alarm on all the time: as a plain list it starts at test row 400 → one event there (FP)
    await Deno.writeTextFile(file, JSON.stringify({ "valve1/0.csv": [[ts(0), ts(459)]] }));
    const plain = (await scoreAlarmFile(file, `${root}/labels`)).scores[0];
    assert.equal(plain.nab.fps, 1);
    // as a series from row 0 its only event is at row 0, outside the scored rows
    const series = { first: ts(0), last: ts(459), ones: [[ts(0), ts(459)]] };
    await Deno.writeTextFile(file, JSON.stringify({ "valve1/0.csv": series }));
    const fromZero = (await scoreAlarmFile(file, `${root}/labels`)).scores[0];
    assert.equal(fromZero.nab.fps, 0);
    assert.equal(fromZero.rows, 60);
  });
});

Deno.test("scoreAlarmFile() fails on a key without a labels file and honours train rows", async () => {
  await withLabels(async (root) => {
    const file = `${root}/alarms.json`;
    await Deno.writeTextFile(file, JSON.stringify({ "valve9/0.csv": [] }));
    await assert.rejects(() => scoreAlarmFile(file, `${root}/labels`), /no labels file/);
    await Deno.writeTextFile(file, JSON.stringify({ "valve1/0.csv": [] }));
    const { scores } = await scoreAlarmFile(file, `${root}/labels`, { trainRows: 430 });
    assert.equal(scores[0].rows, 30);
    assert.equal(scores[0].nab.windows.length, 1); // the changepoint at 420 is in training
  });
});
