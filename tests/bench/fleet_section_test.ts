import assert from "node:assert/strict";
import {
  efficiencyTable,
  type FleetRun,
  type FleetSection,
  fleetTable,
  peerStageTable,
} from "../../bench/_fleet_section.ts";

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

Deno.test("efficiencyTable puts each efficiency beside the bound the CPUs allow", () => {
  const one = { ...run("acm (default)", 12), cpu_s: 18 }; // 1.5 cores busy with one worker
  const two = { ...run("acm (default)", 9), workers: 2, cpu_s: 18 };
  const peer1 = run("numpy peer (condition)", 10, {}, { peer: true });
  const peer2 = { ...run("numpy peer (condition)", 5), workers: 2, peer: true };
  const t = efficiencyTable({ runs: [one, two, peer1, peer2] } as unknown as FleetSection, 2);
  const cells = (p: string) =>
    t.split("\n").find((l) => l.includes(p))!.split("|").slice(2, -1).map((c) => c.trim());
  // 12 / 9 = 1.33× → 67 %; bound min(2, 2) / (1.5 · 2) = 67 %
  assert.deepEqual(cells("acm (default)"), ["2", "1.33×", "67%", "1.50", "67%"]);
  // one busy core: 2.00× → 100 %, bound 100 %
  assert.deepEqual(cells("numpy peer"), ["2", "2.00×", "100%", "1.00", "100%"]);
});
