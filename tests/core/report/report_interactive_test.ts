/**
 * Drives the asset report in Debian's Chromium with puppeteer-core: no console
 * errors, failed or network requests; dragging on the explorer zooms (the
 * visible range shrinks), reset restores it, the wheel zooms; choosing a sensor
 * shows its actual and expected traces; the page does not overflow at 800 px.
 * Screenshots at 1400 and 800 px go to artifacts/test-screenshots/ (git-ignored).
 * Skipped with a message when no Chromium is installed (ACM_CHROMIUM overrides).
 */
import assert from "node:assert/strict";
import puppeteer from "puppeteer-core";
import { writeAssetReport } from "../../../core/report/asset_report.ts";
import { addConditionModelOutputs } from "../../_helpers/condition_outputs.ts";
import { tempDir, writeFakeAsset } from "../../_helpers/scored_chunk.ts";

async function findChromium(): Promise<string | null> {
  const names = [Deno.env.get("ACM_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const p of names) {
    if (!p) continue;
    try {
      if ((await Deno.stat(p)).isFile) return p;
    } catch { /* not there */ }
  }
  return null;
}

const bin = await findChromium();

Deno.test({
  name: "report.html explorer zooms, pans and shows any sensor's actual vs expected in Chromium",
  ignore: bin === null,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const [dir, cleanup] = await tempDir();
    const browser = await puppeteer.launch({
      executablePath: bin!,
      headless: true,
      // DevTools over stdio pipes: no WebSocket, so the test task needs no --allow-net.
      pipe: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    try {
      await writeFakeAsset(`${dir}/FD_FAN`);
      const names = await addConditionModelOutputs(`${dir}/FD_FAN`);
      const path = await writeAssetReport(`${dir}/FD_FAN`);
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warn") {
          problems.push(`console ${m.type()}: ${m.text()}`);
        }
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e}`));
      page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
      page.on("request", (r) => {
        if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) {
          problems.push(`network request: ${r.url()}`);
        }
      });
      await page.setViewport({ width: 1400, height: 1000 });
      await page.goto(`file://${path}`, { waitUntil: "load" });
      await page.waitForSelector("#explore-chart .u-over");
      const range = () =>
        page.$eval("#explore-chart", (el) => [Number(el.dataset.min), Number(el.dataset.max)]);
      const [a0, b0] = await range();
      assert.ok(b0 > a0, `initial range ${a0} … ${b0}`);

      // Drag across the middle third: zooms in.
      await page.$eval("#explore", (el) => el.scrollIntoView());
      const over = (await page.$("#explore-chart .u-over"))!;
      const box = (await over.boundingBox())!;
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width / 3, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, y, { steps: 8 });
      await page.mouse.move(box.x + (2 * box.width) / 3, y, { steps: 8 });
      await page.mouse.up();
      const [a1, b1] = await range();
      assert.ok(b1 - a1 < (b0 - a0) * 0.5, `drag zoom: ${b1 - a1} vs ${b0 - a0}`);
      // Pan right keeps the width and moves the window.
      await page.click("#explore-right");
      const [a2, b2] = await range();
      assert.ok(a2 > a1 && Math.abs((b2 - a2) - (b1 - a1)) < 1, "pan moves, keeps width");
      // Reset shows everything again.
      await page.click("#explore-reset");
      assert.deepEqual(await range(), [a0, b0]);

      // Choose another sensor: the legend names it and it has actual and expected values.
      const other = names[names.length - 1];
      await page.select("#explore-sensor", other);
      const chosen = await page.$eval("#explore-chart", (el) => el.dataset.sensor);
      assert.equal(chosen, other);
      const legend = await page.$$eval(
        "#explore-chart .u-legend .u-series .u-label",
        (els) => els.map((e) => e.textContent),
      );
      assert.ok(legend.includes(other), `legend ${legend.join(" | ")}`);
      const counts = await page.$eval("#acm-explore-data", (el, name) => {
        const d = JSON.parse(el.textContent!);
        const s = d.sensors[name as string];
        return [
          s.actual.filter((v: unknown) => v !== null).length,
          s.expected.filter((v: unknown) => v !== null).length,
        ];
      }, other);
      assert.ok(counts[0] > 100 && counts[1] > 100, `values of ${other}: ${counts}`);
      // The static panel of that sensor opens and draws actual, expected and residual.
      const panel = `details.sensor[data-sensor="${other.replaceAll('"', '\\"')}"]`;
      await page.click(`${panel} summary`);
      const drawn = await page.$eval(panel, (el) => ({
        open: el.hasAttribute("open"),
        h: el.querySelector("svg.sensor-chart")!.getBoundingClientRect().height,
        expected: !!el.querySelector("path.expected"),
        residual: !!el.querySelector("svg.residual-chart path.series"),
      }));
      assert.deepEqual({ ...drawn, h: drawn.h > 50 }, {
        open: true,
        h: true,
        expected: true,
        residual: true,
      });

      const shots = new URL("../../../artifacts/test-screenshots/", import.meta.url).pathname;
      await Deno.mkdir(shots, { recursive: true });
      await page.screenshot({ path: `${shots}report_1400.png`, fullPage: true });
      await page.setViewport({ width: 800, height: 1000 });
      await new Promise((r) => setTimeout(r, 200));
      const overflow = await page.$eval("html", (el) => el.scrollWidth);
      assert.ok(overflow <= 800, `page is ${overflow} px wide at 800 px`);
      await page.screenshot({ path: `${shots}report_800.png`, fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await cleanup();
    }
  },
});

if (bin === null) {
  console.log(
    "SKIPPED report_interactive_test: no Chromium found (apt-get install -y chromium, or set ACM_CHROMIUM)",
  );
}
