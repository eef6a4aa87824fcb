/**
 * Timestamps as the SQLite store keeps them: ISO-8601 in UTC with milliseconds
 * and `Z`, `2020-01-04T08:00:00.000Z` (what `Date.toISOString()` writes). The
 * fixed width keeps text order equal to time order, and SQLite's date functions
 * read the `Z` as UTC: `datetime(ts)`, `julianday(ts)`, `unixepoch(ts)` all work,
 * and `ts >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-7 days')` compares as text.
 */

/** SQL expression giving column `col` in the store format (NULL/unparsable values kept). */
export function sqlStoreTime(col: string): string {
  return `COALESCE(strftime('%Y-%m-%dT%H:%M:%fZ', ${col}), ${col})`;
}

/** Epoch ms → store text. */
export function storeTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * ISO text (with or without a zone; naive text is UTC, as everywhere in acm)
 * → store text; undefined stays undefined, unparsable text is kept as given.
 */
export function storeTimeText(text: string | undefined): string | undefined {
  if (text === undefined || text === "") return text;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(text)
    ? text
    : text.length === 10
    ? `${text}T00:00:00Z`
    : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? storeTime(ms) : text;
}
