import assert from "node:assert/strict";

const MODULE = new URL("../../bench/_memory.ts", import.meta.url).href;

// The probes read and write /proc/self, which Deno allows only with --allow-all: run
// them in a child `deno eval` (all permissions) and check what it measured.
const CHILD = `
import { peakRssSinceResetMb, resetPeakRss, rssMb } from "${MODULE}";
const big = new Float64Array(8_000_000).fill(1); // 64 MB touched
const peak = peakRssSinceResetMb();
big.buffer.transfer(0); // released at once, no GC needed
const afterFree = rssMb();
const reset = resetPeakRss();
console.log(JSON.stringify({ peak, afterFree, reset, peakAfterReset: peakRssSinceResetMb() }));
`;

Deno.test("resetPeakRss() forgets an earlier peak: the high-water mark drops to the RSS now (Linux)", async () => {
  const r = await new Deno.Command(Deno.execPath(), { args: ["eval", "--ext=ts", CHILD] }).output();
  assert.ok(r.success, new TextDecoder().decode(r.stderr));
  const m = JSON.parse(new TextDecoder().decode(r.stdout));
  if (m.peak === null) return; // no /proc on this OS: the probes say so with null
  assert.ok(m.afterFree < m.peak - 40, `the 64 MB were returned: ${JSON.stringify(m)}`);
  assert.equal(m.reset, true);
  assert.ok(m.peakAfterReset < m.peak - 40, `the earlier peak is forgotten: ${JSON.stringify(m)}`);
});
