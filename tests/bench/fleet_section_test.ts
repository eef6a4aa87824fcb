import assert from "node:assert/strict";
import { type FleetRun, fleetTable, peerStageTable } from "../../bench/_fleet_section.ts";

const run = (
  program: string,
  wall_s: number,
  stages: Record<string, number> = {},
  role: Pick<FleetRun, "peer" | "against" | "baselineOnly"> = {},
): FleetRun => ({
  program,
  ...role,
  workers: 1,
  wall_s,
  cpu_s: wall_s,
  peak_rss_mb: 100,
  rows: 1000,
  stages,
});

const runs = [
  run("acm (default)", 12),
  run("acm (default, peer's outputs)", 8, {}, { baselineOnly: true }),
  run("numpy peer (condition)", 4, { parse: 1, train: 1, score: 1, write: 1 }, {
    peer: true,
    against: "acm (default, peer's outputs)",
  }),
  run("acm (acm_v8)", 9),
  run("pandas peer (V8)", 18, { parse: 2, train: 6, score: 8 }, {
    peer: true,
    against: "acm (acm_v8)",
  }),
];

Deno.test("peerStageTable lists the Python peers only, not acm's peer's-outputs run", () => {
  const t = peerStageTable(runs);
  assert.match(t, /numpy peer \(condition\)/);
  assert.match(t, /pandas peer \(V8\)/);
  assert.doesNotMatch(t, /acm/);
});

Deno.test("fleetTable divides each peer by acm running the same method", () => {
  const t = fleetTable({ fleet: {} as never, runs, peerSkipped: null });
  const line = (p: string) => t.split("\n").find((l) => l.includes(p))!;
  assert.match(line("numpy peer"), /0\.50×/); // 4 s ÷ 8 s (peer's outputs)
  assert.match(line("pandas peer"), /2\.00×/); // 18 s ÷ 9 s (acm_v8)
});
