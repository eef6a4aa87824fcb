import { parseCsv } from "../../core/io/csv_text.ts";

/**
 * Adds the scores.csv columns of the condition model (envelope, transient,
 * top_head, culprit, signature) and an expected.csv in the agreed format
 * (timestamp, then <sensor>_expected and <sensor>_residual per sensor).
 */
export async function addConditionModelOutputs(assetDir: string): Promise<string[]> {
  const scores = parseCsv(await Deno.readTextFile(`${assetDir}/scores.csv`)).filter((r) =>
    r.length > 1
  );
  const n = scores.length - 1;
  // The csv sink already writes these columns (as 0 / empty): set them in place, or append
  // them to an older header.
  const added = ["envelope", "transient", "top_head", "culprit", "signature"];
  const header = [...scores[0]];
  const at = added.map((c) => {
    const j = header.indexOf(c);
    if (j >= 0) return j;
    header.push(c);
    return header.length - 1;
  });
  const out = [header.join(",")];
  for (let i = 1; i <= n; i++) {
    const env = i > 100 && i <= 140 ? 1 : 0, tr = i > 10 && i <= 20 ? 1 : 0;
    const row = [...scores[i]];
    const values = [env, tr, "ar1", "S", i % 3 === 0 ? "variance_down" : "mean_up"];
    at.forEach((j, k) => row[j] = String(values[k]));
    out.push(row.join(","));
  }
  await Deno.writeTextFile(`${assetDir}/scores.csv`, out.join("\n") + "\n");
  // The raw values: sensors.csv when written, else the chunk files the replay read.
  let sensorsText: string;
  try {
    sensorsText = await Deno.readTextFile(`${assetDir}/sensors.csv`);
  } catch {
    const dir = `${assetDir}.chunks`;
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".csv"))
      .sort();
    sensorsText = files.map((f, k) => {
      const lines = Deno.readTextFileSync(`${dir}/${f}`).trimEnd().split("\n");
      return (k === 0 ? lines : lines.slice(1)).join("\n");
    }).join("\n");
  }
  const sensors = parseCsv(sensorsText).filter((r) => r.length > 1);
  const names = sensors[0].slice(1);
  const ex = [
    ["timestamp", ...names.flatMap((s) => [`${s}_expected`, `${s}_residual`])].map((h) =>
      h.includes(",") ? `"${h}"` : h
    ).join(","),
  ];
  for (const r of sensors.slice(1)) {
    ex.push([
      r[0],
      ...names.flatMap((_, j) => {
        const v = Number(r[j + 1]);
        return [String(v * 0.98), String(v - v * 0.98)];
      }),
    ].join(","));
  }
  await Deno.writeTextFile(`${assetDir}/expected.csv`, ex.join("\n") + "\n");
  return names;
}
