/** Markdown tables and number formats for the bench's printed report. */

/** A markdown table with padded columns (first row = header; numeric-looking columns right-aligned). */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, j) => Math.max(3, ...all.map((r) => (r[j] ?? "").length)));
  const numeric = header.map((_, j) =>
    rows.length > 0 && rows.every((r) => /^[-+]?[\d,.]+( ?[%×x]| s| MB)?$|^[-–]$/.test(r[j] ?? ""))
  );
  const cell = (s: string, j: number) => numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]);
  const line = (r: readonly string[]) => `| ${r.map((c, j) => cell(c ?? "", j)).join(" | ")} |`;
  const rule = `|${
    widths.map((w, j) => numeric[j] ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2)).join("|")
  }|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** Integer with thousands separators ("–" for non-finite). */
export function int(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–";
}

/** Fixed decimals ("–" for non-finite or null). */
export function fix(x: number | null | undefined, digits = 2): string {
  return x !== null && x !== undefined && Number.isFinite(x) ? x.toFixed(digits) : "–";
}

/** A ratio like "2.4×" ("–" for non-finite). */
export function times(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : "–";
}

/** A share in [0, 1] as a percentage ("–" for NaN). */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : "–";
}
