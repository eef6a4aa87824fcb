import assert from "node:assert/strict";
import { agreement, coveredShare } from "../../bench/_agreement.ts";

const scores = (alarms: number[]) =>
  "timestamp,fused,alarm\n" +
  alarms.map((a, i) => `2024-01-01T00:0${i}:00,${a ? 4 : 0.1},${a}\n`).join("");

Deno.test("agreement() gives the Jaccard index of alarm rows matched by timestamp", () => {
  const a = agreement(
    { scores: scores([1, 1, 0, 0, 1]), episodes: "start,end,peak_z\n" },
    { scores: scores([0, 1, 1, 0, 1]), episodes: "start,end,peak_z\n" },
  );
  assert.equal(a.commonRows, 5);
  assert.equal(a.alarmRowsOurs, 3);
  assert.equal(a.alarmRowsPeer, 3);
  assert.equal(a.jaccard, 2 / 4);
  assert.ok(Number.isNaN(a.peerCoveredByOurs));
});

Deno.test("agreement() counts episodes overlapped by the other side", () => {
  const ours =
    "start,end,peak_z\n2024-01-01T00:00:00,2024-01-01T01:00:00,5\n2024-01-02T00:00:00,2024-01-02T01:00:00,4\n";
  const peer = "start,end,peak_z\n2024-01-01T00:30:00,2024-01-01T02:00:00,6\n";
  const a = agreement({ scores: scores([0]), episodes: ours }, {
    scores: scores([0]),
    episodes: peer,
  });
  assert.equal(a.episodesOurs, 2);
  assert.equal(a.episodesPeer, 1);
  assert.equal(a.peerCoveredByOurs, 1);
  assert.equal(a.oursCoveredByPeer, 0.5);
  assert.equal(a.jaccard, 1, "no alarm on either side counts as full agreement");
});

Deno.test("coveredShare() treats touching intervals as overlapping and disjoint ones as not", () => {
  assert.equal(coveredShare([[0, 10]], [[10, 20]]), 1);
  assert.equal(coveredShare([[0, 10]], [[11, 20]]), 0);
});
