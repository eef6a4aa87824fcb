import assert from "node:assert/strict";
import { readAssetOutputs } from "../../../core/report/read_outputs.ts";
import { renderAssetReport, writeAssetReport } from "../../../core/report/asset_report.ts";
import { scriptHash } from "../../../core/report/page.ts";
import { tempDir, writeFakeAsset } from "../../_helpers/scored_chunk.ts";

Deno.test("renderAssetReport() draws the fused chart, episode table, culprit bars and traces", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${dir}/FD_FAN`);
    const o = await readAssetOutputs(`${dir}/FD_FAN`);
    assert.equal(o.t.length, 900);
    assert.deepEqual(Object.keys(o.heads), ["ar1", "gmm", "iforest", "pca_spe", "pca_t2"]);
    assert.equal(o.episodes.length, 2);
    assert.equal(o.episodes[1].open, true);
    const html = renderAssetReport(o);
    assert.match(html, /<svg class="chart fused-chart"/);
    assert.equal((html.match(/class="chart head-strip"/g) ?? []).length, 5);
    assert.match(html, /<table class="episodes">/);
    assert.equal((html.match(/<div class="culprit">/g) ?? []).length, 5);
    assert.ok((html.match(/class="chart trace-chart"/g) ?? []).length >= 4);
    assert.match(html, /class="train-band"/);
    assert.match(html, /alarm threshold z = 3/);
    const headline = /id="headline">([^<]*)</.exec(html)?.[1];
    assert.equal(
      headline,
      "ALERT since 2020-01-18 12:00 — DEMO.SIM.06G31_1FD Fan Damper Position 41%, DEMO.SIM.FSAA_1FD Fan Air Flow 30% — regime 1 — peak z 14.5 (critical)",
    );
    assert.match(html, /DEMO\.SIM\.06G31_1FD Fan Damper Position 41%/);
    assert.match(html, /DEMO\.SIM\.06GP34_1FD Fan Outlet Pressure/); // excluded sensor listed
    assert.match(html, /gap of 6 h/); // data note listed
    // Self-contained: no external resource of any kind.
    assert.doesNotMatch(html, /(src|href)="https?:/);
    // Scripts: inline only, no src, and each allowed by its hash in the CSP.
    assert.doesNotMatch(html, /<script[^>]*\bsrc=/);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    assert.match(csp, /default-src 'none'/);
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    assert.equal(inline.length, 2, "uPlot and the explorer");
    for (const code of inline) assert.ok(csp.includes(scriptHash(code)), "script hash in the CSP");
    assert.doesNotMatch(html, /NaN/);
  } finally {
    await cleanup();
  }
});

Deno.test("writeAssetReport() explains what to do when scores.csv is missing", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    await assert.rejects(() => writeAssetReport(dir), /scores\.csv" does not exist[\s\S]*csv sink/);
  } finally {
    await cleanup();
  }
});

Deno.test("renderAssetReport() lists cases of several episodes with the grouping rule", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${dir}/FD_FAN`);
    const o = await readAssetOutputs(`${dir}/FD_FAN`);
    const one = renderAssetReport(o);
    assert.match(one, /Case: episodes with the same top culprit less than 7 days apart/);
    assert.match(one, /2 cases from 2 episodes\./);
    assert.doesNotMatch(one, /<table class="cases">/);
    // The second episode, moved 3 days after the first with the same top culprit: one case.
    const [a, b] = o.episodes;
    const start = new Date(Date.parse(`${a.end}Z`) + 3 * 86_400_000).toISOString().slice(0, 19);
    o.episodes[1] = { ...b, start, culprits: [a.culprits[0], ...b.culprits] };
    const html = renderAssetReport(o);
    assert.match(html, /1 case from 2 episodes; the cases with several episodes:/);
    assert.match(
      html,
      /<table class="cases">.*<tr data-case="1"><td class="num">1<\/td><td>#1 #2<\/td>/s,
    );
    assert.equal((html.match(/data-case="1"/g) ?? []).length, 3, "case row and both episode rows");
  } finally {
    await cleanup();
  }
});

Deno.test("renderAssetReport() names the sensors outside their training range per episode", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${dir}/FD_FAN`);
    const o = await readAssetOutputs(`${dir}/FD_FAN`);
    const wide = [-1e12, 0, 1e12] as [number, number, number];
    for (const s of Object.keys(o.trainRanges)) o.trainRanges[s] = wide;
    const plain = renderAssetReport(o);
    assert.match(plain, /<th>outside training<\/th>/);
    assert.doesNotMatch(plain, /<b>Outside training<\/b>/, "no note while every sensor is inside");
    // Every reading of the top culprit of the last episode above its band, of
    // another sensor below its band: a culprit (bold) and a non-culprit outside.
    const [, last] = o.episodes;
    const culprit = last.culprits[0].sensor;
    const other = Object.keys(o.sensors!.values).find((s) =>
      o.episodes.every((e) => e.culprits.every((c) => c.sensor !== s))
    )!;
    o.trainRanges = { ...o.trainRanges, [culprit]: [-3e9, -2e9, -1e9], [other]: [1e9, 2e9, 3e9] };
    const html = renderAssetReport(o);
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // Names without the prefix every sensor shares ("DEMO.SIM."), said in the note.
    const short = (s: string) => esc(s.replace(/^DEMO\.SIM\./, ""));
    assert.match(html, new RegExp(`>↑ 100 % <b>${short(culprit)}</b></div>`));
    assert.match(html, new RegExp(`>↓ 100 % ${short(other)}</div>`));
    assert.match(html, /leave out the prefix they all share, <code>DEMO\.SIM\.<\/code>/);
    // Five heads: the top head column is there; one head on every row: it is left out.
    assert.match(html, /<th class="col-head">top head<\/th>/);
    const head = Object.keys(o.heads)[0];
    const single = renderAssetReport({
      ...o,
      heads: { [head]: o.heads[head] },
      episodes: o.episodes.map((e) => ({ ...e, detector: head })),
    });
    assert.doesNotMatch(single, /class="col-head"/);
    assert.match(single, /<th class="col-regime">regime<\/th><th>signature<\/th>/);
    assert.match(html, /<b>Outside training<\/b>/);
    assert.match(
      html,
      /2 of 2 episode\(s\) ran there, 1 of them with none of their culprits outside/,
    );
  } finally {
    await cleanup();
  }
});
