import assert from "node:assert/strict";
import {
  daysFromCivil,
  daysInMonth,
  parseTimestamp,
  parseTimestampRange,
  timestampFailure,
  timestampState,
} from "../../../core/source/timestamp.ts";

Deno.test("parseTimestamp() reads ISO 8601 with T or space, fractions and date-only", () => {
  assert.equal(parseTimestamp("2019-06-01T00:00:00"), Date.UTC(2019, 5, 1));
  assert.equal(parseTimestamp("2019-06-01 13:45"), Date.UTC(2019, 5, 1, 13, 45));
  assert.equal(parseTimestamp("2025-11-05 08:48:38.270"), Date.UTC(2025, 10, 5, 8, 48, 38, 270));
  assert.equal(parseTimestamp("2025-11-05T08:48:38.2"), Date.UTC(2025, 10, 5, 8, 48, 38, 200));
  assert.equal(parseTimestamp("2025-11-05T08:48:38.123999"), Date.UTC(2025, 10, 5, 8, 48, 38, 123));
  assert.equal(parseTimestamp("2020-02-29"), Date.UTC(2020, 1, 29));
  assert.equal(parseTimestamp("  2020-03-09 10:14:33 "), Date.UTC(2020, 2, 9, 10, 14, 33));
});

Deno.test("parseTimestamp() reads both month-first Excel variants as the same instant", () => {
  const a = parseTimestamp("06-12-2012 23:30");
  const b = parseTimestamp("6/13/2012 0:00");
  assert.equal(a, Date.UTC(2012, 5, 12, 23, 30));
  assert.equal(b - a, 30 * 60_000);
  assert.equal(parseTimestamp("6/12/2012 23:30"), a);
  assert.equal(parseTimestamp("06/12/2012 23:30:00"), a);
  assert.equal(parseTimestamp("12/31/2012"), Date.UTC(2012, 11, 31));
});

Deno.test("parseTimestamp() reads AM/PM on month-first dates", () => {
  assert.equal(parseTimestamp("6/13/2012 12:00:00 AM"), Date.UTC(2012, 5, 13, 0));
  assert.equal(parseTimestamp("6/13/2012 12:15 PM"), Date.UTC(2012, 5, 13, 12, 15));
  assert.equal(parseTimestamp("6/13/2012 1:15 pm"), Date.UTC(2012, 5, 13, 13, 15));
  assert.ok(Number.isNaN(parseTimestamp("6/13/2012 13:15 PM")));
});

Deno.test("parseTimestamp() with dayFirst swaps day and month of a/b/YYYY only", () => {
  assert.equal(parseTimestamp("13/06/2012 10:00", true), Date.UTC(2012, 5, 13, 10));
  assert.equal(parseTimestamp("2012-06-13 10:00", true), Date.UTC(2012, 5, 13, 10));
  assert.ok(Number.isNaN(parseTimestamp("13/06/2012 10:00")));
});

Deno.test("parseTimestampRange() converts Z and offsets to UTC and flags them", () => {
  const st = timestampState();
  const text = "2019-06-01T10:00:00+02:00";
  assert.equal(parseTimestampRange(text, 0, text.length, st), Date.UTC(2019, 5, 1, 8));
  assert.equal(st.zoned, true);
  const z = "2019-06-01T10:00:00.5Z";
  assert.equal(parseTimestampRange(z, 0, z.length, st), Date.UTC(2019, 5, 1, 10, 0, 0, 500));
  assert.equal(st.zoned, true);
  const neg = "2019-06-01 00:30-0130";
  assert.equal(parseTimestampRange(neg, 0, neg.length, st), Date.UTC(2019, 5, 1, 2, 0));
  const plain = "2019-06-01 00:30";
  parseTimestampRange(plain, 0, plain.length, st);
  assert.equal(st.zoned, false);
});

Deno.test("parseTimestampRange() reads only the given range of a longer text", () => {
  const text = "x,2019-06-01 00:30,7";
  assert.equal(parseTimestampRange(text, 2, 18, timestampState()), Date.UTC(2019, 5, 1, 0, 30));
});

Deno.test("parseTimestamp() rejects out-of-range fields with a reason", () => {
  assert.match(timestampFailure("13/01/2020 00:00"), /month 13/);
  assert.match(timestampFailure("2/30/2020"), /day 30 does not exist in month 2 of 2020/);
  assert.match(timestampFailure("2019-02-29"), /day 29/);
  assert.equal(timestampFailure("2000-02-29"), "");
  assert.match(timestampFailure("1900-02-29"), /day 29/);
  assert.match(timestampFailure("2020-01-01 24:00"), /hour 24/);
  assert.match(timestampFailure("2020-01-01 23:60"), /minute 60/);
  assert.match(timestampFailure("2020-01-01 23:59:60"), /second 60/);
  assert.match(timestampFailure("2020-04-31"), /day 31/);
});

Deno.test("parseTimestamp() rejects text that is not one of the formats", () => {
  for (
    const bad of [
      "",
      "Description",
      "12.5",
      "2020/01/01",
      "06-12/2012",
      "6/13/12 0:00",
      "2020-01-01T",
      "2020-01-01 10",
      "2020-01-01 10:5",
      "2020-01-01 10:05:00.",
      "2020-01-01 10:05 Z",
      "6/13/2012 0:00Z",
      "1589000000",
      "2020-01-01 10:05:00+25:00",
    ]
  ) {
    assert.ok(Number.isNaN(parseTimestamp(bad)), `accepted ${JSON.stringify(bad)}`);
    assert.notEqual(timestampFailure(bad), "");
  }
});

Deno.test("daysFromCivil() agrees with Date.UTC over four centuries", () => {
  for (let y = 1900; y <= 2300; y += 7) {
    for (let m = 1; m <= 12; m++) {
      const d = daysInMonth(y, m);
      assert.equal(daysFromCivil(y, m, d) * 86_400_000, Date.UTC(y, m - 1, d));
    }
  }
});
