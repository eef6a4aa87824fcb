import assert from "node:assert/strict";
import {
  findLeaderboard,
  leaderboardFromExpected,
  PUBLISHED_LEADERBOARD,
  REFERENCE_ROWS,
} from "../../../core/eval/leaderboard.ts";

const EXPECTED = "/work/shared/datasets/skab/reference-predictions/expected_metrics.json";
const present = await Deno.stat(EXPECTED).then(() => true, () => false);

Deno.test({
  name: "PUBLISHED_LEADERBOARD holds the same numbers as SKAB's expected_metrics.json",
  ignore: !present,
  fn: async () => {
    const rows = leaderboardFromExpected(JSON.parse(await Deno.readTextFile(EXPECTED)));
    assert.equal(rows.length, 10);
    for (const row of rows) {
      const embedded = PUBLISHED_LEADERBOARD.find((r) => r.key === row.key);
      assert.deepEqual(embedded, row, row.key);
    }
  },
});

Deno.test("PUBLISHED_LEADERBOARD has the README's 11 algorithms, LSTM-VAE without changepoint values", () => {
  assert.equal(PUBLISHED_LEADERBOARD.length, 11);
  const vae = PUBLISHED_LEADERBOARD.find((r) => r.key === "LSTM_VAE");
  assert.deepEqual([vae?.f1, vae?.nabStandard], [0.56, null]);
  assert.deepEqual(REFERENCE_ROWS.map((r) => r.key), ["perfect", "always_on", "null"]);
});

Deno.test("leaderboardFromExpected() rejects a document without a leaderboard", () => {
  assert.throws(() => leaderboardFromExpected({ notes: {} }), /no "leaderboard" object/);
});

Deno.test("findLeaderboard() reads expected_metrics.json next to the folder, else the embedded table", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/labels`);
    const embedded = await findLeaderboard(`${root}/labels`);
    assert.equal(embedded.from, "published table (embedded)");
    assert.equal(embedded.rows.length, PUBLISHED_LEADERBOARD.length + REFERENCE_ROWS.length);
    await Deno.mkdir(`${root}/reference-predictions`);
    const file = `${root}/reference-predictions/expected_metrics.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({ leaderboard: { X: { label: "X algo", F1: 0.5, NAB_standard: 3 } } }),
    );
    const found = await findLeaderboard(`${root}/labels`);
    assert.equal(found.from, file);
    assert.deepEqual(found.rows[0], {
      key: "X",
      label: "X algo",
      f1: 0.5,
      farPct: null,
      marPct: null,
      nabStandard: 3,
      nabLowFP: null,
      nabLowFN: null,
      missedCps: null,
      fps: null,
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
