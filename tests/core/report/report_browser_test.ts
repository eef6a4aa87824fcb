/**
 * Renders a report in headless Chromium (Debian package `chromium`): no console
 * errors or blocked requests, the fused chart, episode table and culprit bars
 * are laid out, and a screenshot is saved to artifacts/test-screenshots/.
 * Skipped with a message when no Chromium is installed (ACM_CHROMIUM overrides the binary).
 */
import assert from "node:assert/strict";
import { writeAssetReport } from "../../../core/report/asset_report.ts";
import { writeFleetIndex } from "../../../core/report/fleet_index.ts";
import { tempDir, writeFakeAsset } from "../../_helpers/scored_chunk.ts";

const CANDIDATES = [Deno.env.get("ACM_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]
  .filter((c): c is string => !!c);

async function findChromium(): Promise<string | null> {
  for (const bin of CANDIDATES) {
    try {
      const out = await new Deno.Command(bin, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      })
        .output();
      if (out.success) return bin;
    } catch { /* not installed */ }
  }
  return null;
}

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--hide-scrollbars",
];

async function chromium(
  bin: string,
  profile: string,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  const out = await new Deno.Command(bin, {
    args: [...FLAGS, `--user-data-dir=${profile}`, ...args],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(90_000),
  }).output();
  const dec = new TextDecoder();
  return { stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Records errors, console.error calls, CSP violations and layout facts into <html data-probe>. */
const PROBE = `<script>(() => {
  const errors = [];
  addEventListener("error", (e) => errors.push("error: " + (e.message || (e.target && e.target.outerHTML))), true);
  addEventListener("securitypolicyviolation", (e) => errors.push("csp: " + e.blockedURI));
  const ce = console.error;
  console.error = (...a) => { errors.push("console: " + a.join(" ")); ce.apply(console, a); };
  addEventListener("load", () => {
    const w = (sel) => { const el = document.querySelector(sel); return el ? Math.round(el.getBoundingClientRect().width) : 0; };
    const bars = [...document.querySelectorAll(".culprit .bar i")].map((b) => Math.round(b.getBoundingClientRect().width));
    document.documentElement.setAttribute("data-probe", JSON.stringify({
      errors,
      fused: w("svg.fused-chart"),
      fusedPath: document.querySelector("svg.fused-chart path.series")?.getTotalLength() ?? 0,
      episodeRects: document.querySelectorAll("svg.fused-chart rect.episode").length,
      table: w("table.episodes"),
      rows: document.querySelectorAll("table.episodes tbody tr").length,
      bars,
      traces: document.querySelectorAll("svg.trace-chart").length,
    }));
  });
})();</script>`;

Deno.test("report.html renders in headless Chromium without errors, charts and table laid out", async (t) => {
  const bin = await findChromium();
  if (!bin) {
    console.log("SKIPPED: no Chromium found (apt-get install -y chromium, or set ACM_CHROMIUM)");
    await t.step({ name: "skipped: Chromium is not installed", ignore: true, fn: () => {} });
    return;
  }
  const [root, cleanup] = await tempDir("acm_browser_");
  try {
    await writeFakeAsset(`${root}/FD_FAN`, 480);
    const report = await writeAssetReport(`${root}/FD_FAN`);
    await writeFleetIndex(root);
    const html = await Deno.readTextFile(report);
    const probed = `${root}/FD_FAN/probed.html`;
    await Deno.writeTextFile(probed, html.replace("<head>", `<head>\n${PROBE}`));
    const dom = await chromium(bin, `${root}/profile1`, [
      "--window-size=1400,2400",
      "--virtual-time-budget=5000",
      "--dump-dom",
      `file://${probed}`,
    ]);
    const raw = /data-probe="([^"]*)"/.exec(dom.stdout)?.[1];
    assert.ok(raw, `no probe result in the dumped DOM; stderr:\n${dom.stderr.slice(-2000)}`);
    const probe = JSON.parse(raw.replaceAll("&quot;", '"').replaceAll("&amp;", "&"));
    assert.deepEqual(probe.errors, []);
    assert.ok(probe.fused > 900, `fused chart width ${probe.fused}`);
    assert.ok(probe.fusedPath > 1000, "fused line drawn");
    assert.equal(probe.episodeRects, 2);
    assert.ok(probe.table > 900, `episode table width ${probe.table}`);
    assert.equal(probe.rows, 2);
    assert.equal(probe.bars.length, 5);
    assert.ok(probe.bars.every((w: number) => w > 0), `culprit bars ${probe.bars}`);
    assert.ok(probe.bars[0] > probe.bars[2], "bars scale with the culprit share");
    assert.ok(probe.traces >= 4);

    const shots = new URL("../../../artifacts/test-screenshots/", import.meta.url).pathname;
    await Deno.mkdir(shots, { recursive: true });
    const pages = [[report, "report.png", "1400,2400"], [
      `${root}/index.html`,
      "index.png",
      "1400,600",
    ]];
    for (const [page, file, size] of pages) {
      const shot = await chromium(bin, `${root}/profile2`, [
        `--window-size=${size}`,
        "--enable-logging=stderr",
        "--v=0",
        `--screenshot=${shots}${file}`,
        `file://${page}`,
      ]);
      const consoleErrors = shot.stderr.split("\n").filter((l) =>
        /CONSOLE|Refused to|Uncaught/.test(l)
      );
      assert.deepEqual(consoleErrors, []);
      const png = await Deno.stat(`${shots}${file}`);
      assert.ok(png.size > 10_000, `${file} is ${png.size} bytes`);
    }
  } finally {
    await cleanup();
  }
});
