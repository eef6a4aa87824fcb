import assert from "node:assert/strict";
import {
  compareVersions,
  isValidRange,
  parseVersion,
  satisfies,
} from "../../../core/pipeline/semver.ts";

Deno.test("satisfies() follows caret, tilde, comparator, x-range and || semantics", () => {
  const cases: [string, string, boolean][] = [
    ["1.0.0", "^1.0.0", true],
    ["1.9.3", "^1.2.0", true],
    ["2.0.0", "^1.2.0", false],
    ["1.1.9", "^1.2.0", false],
    ["0.2.5", "^0.2.3", true],
    ["0.3.0", "^0.2.3", false],
    ["0.0.3", "^0.0.3", true],
    ["0.0.4", "^0.0.3", false],
    ["1.2.9", "~1.2.3", true],
    ["1.3.0", "~1.2.3", false],
    ["1.2.2", "~1.2.3", false],
    ["1.5.0", ">=1.0.0 <2.0.0", true],
    ["2.0.0", ">=1.0.0 <2.0.0", false],
    ["1.0.0", "1.0.0", true],
    ["1.0.1", "1.0.0", false],
    ["1.7.0", "1.x", true],
    ["2.0.0", "1.x", false],
    ["1.2.7", "1.2.x", true],
    ["1.3.0", "1.2.x", false],
    ["9.9.9", "*", true],
    ["3.1.0", "^1.0.0 || ^3.0.0", true],
    ["2.1.0", "^1.0.0 || ^3.0.0", false],
    ["1.0.0-rc.1", "^1.0.0", false],
    ["1.0.0", ">= 1.0.0", true],
  ];
  for (const [version, range, expected] of cases) {
    assert.equal(satisfies(version, range), expected, `${version} in ${range}`);
  }
});

Deno.test("parseVersion() and isValidRange() reject malformed input", () => {
  assert.deepEqual(parseVersion("1.2.3-beta.1+build.5"), {
    major: 1,
    minor: 2,
    patch: 3,
    prerelease: "beta.1",
  });
  assert.equal(parseVersion("1.2"), undefined);
  assert.equal(parseVersion("01.2.3"), undefined);
  assert.equal(parseVersion("one"), undefined);
  assert.equal(isValidRange("^1.0.0"), true);
  assert.equal(isValidRange("^x.0.0"), false);
  assert.equal(isValidRange("banana"), false);
  assert.equal(isValidRange(""), false);
  assert.equal(satisfies("1.0.0", "banana"), false);
  assert.equal(satisfies("garbage", "*"), false);
});

Deno.test("compareVersions() orders by major, minor, patch, then release after pre-release", () => {
  const v = (s: string) => parseVersion(s)!;
  assert.ok(compareVersions(v("1.2.3"), v("1.10.0")) < 0);
  assert.ok(compareVersions(v("2.0.0"), v("1.99.99")) > 0);
  assert.ok(compareVersions(v("1.0.0-alpha"), v("1.0.0")) < 0);
  assert.equal(compareVersions(v("1.0.0+a"), v("1.0.0+b")), 0);
});
