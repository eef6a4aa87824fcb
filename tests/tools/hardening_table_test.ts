import assert from "node:assert/strict";
import { AREAS, markdown, parseJunit, tableRows } from "../../tools/hardening_table.ts";

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="deno test" tests="3">
  <testsuite name="./tests/core/replay/lock_test.ts" tests="3">
    <testcase name="acquireRootLock() refuses a second holder &amp; names pid" classname="x" time="0.1" line="1" col="1">
    </testcase>
    <testcase name="b" classname="x" time="0.1" line="2" col="1">
      <failure message="AssertionError: Expected values to be strictly equal:&#10;1 !== 2">x</failure>
    </testcase>
    <testcase name="c" classname="x" time="0.1" line="3" col="1">
      <failure message="RangeError: Maximum call stack size exceeded">x</failure>
    </testcase>
  </testsuite>
</testsuites>`;

Deno.test("parseJunit() reads passed cases as clean, assertion failures as wrong, other errors as crash", () => {
  const cases = parseJunit(XML);
  assert.deepEqual(cases.map((c) => [c.name, c.outcome]), [
    ["acquireRootLock() refuses a second holder & names pid", "clean"],
    ["b", "wrong"],
    ["c", "crash"],
  ]);
  assert.match(cases[2].detail!, /RangeError/);
});

Deno.test("tableRows() counts each area's cases by file and name pattern; markdown() totals them", () => {
  const results = new Map([
    ["tests/core/replay/lock_test.ts", parseJunit(XML)],
    ["tests/core/replay/asset_runner_test.ts", [
      {
        name: "runAsset() refuses a chunk that overlaps the previous one",
        outcome: "clean" as const,
      },
      {
        name: "runAsset() scores a chunk with a missing or all-NaN sensor",
        outcome: "clean" as const,
      },
      { name: "unrelated", outcome: "crash" as const },
    ]],
  ]);
  const rows = tableRows(results);
  assert.equal(rows.length, AREAS.length);
  const lock = rows.find((r) => r.area.startsWith("artifact-root lock"))!;
  assert.deepEqual([lock.tried, lock.clean, lock.wrong, lock.crash], [3, 1, 1, 1]);
  const overlap = rows.find((r) => r.area.startsWith("overlapping"))!;
  assert.deepEqual([overlap.tried, overlap.clean], [1, 1]);
  const table = markdown(rows);
  assert.match(table, /\| \*\*all\*\* +\| \*\*5\*\* +\| \*\*3\*\* +\| \*\*1\*\* +\| \*\*1\*\* /);
});
