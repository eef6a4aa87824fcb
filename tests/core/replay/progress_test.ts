import assert from "node:assert/strict";
import { summaryText } from "../../../core/replay/progress.ts";
import type { ReplaySummary } from "../../../core/replay/summary.ts";

Deno.test("summaryText() prints every warning in full, not only their count", () => {
  const s: ReplaySummary = {
    runId: "r",
    dryRun: false,
    pipelineFile: "p.yaml",
    pipelineName: "p",
    signature: "abc",
    overrides: [],
    chunkRoot: "c",
    artifactRoot: "a",
    assets: [],
    warnings: ["FD_FAN: sensor X is constant\n    hint: drop it", "GT: 3 rows dropped"],
    exitCode: 0,
    started: "2024-01-01T00:00:00Z",
    seconds: 1,
    rows: 0,
    rowsPerSecond: 0,
    manifest: "a/runs/r.json",
  };
  const text = summaryText(s);
  assert.match(text, /2 warning\(s\) \(also in the run manifest\):/);
  assert.match(text, /\[WARN\] FD_FAN: sensor X is constant\n {13}hint: drop it/);
  assert.match(text, /\[WARN\] GT: 3 rows dropped/);
});
