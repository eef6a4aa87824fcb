/**
 * Drives the asset report in Debian's Chromium with puppeteer-core: no console
 * errors, failed or network requests; dragging on the explorer zooms (the
 * visible range shrinks), Shift-drag and middle-button drag pan it (same width,
 * moved), reset restores it; choosing a sensor shows its actual and expected
 * traces and, from the sensor metadata, its description and limits; the page
 * does not overflow at 800 px.
 * Screenshots at 1400 and 800 px go to artifacts/test-screenshots/ (git-ignored).
 * Skipped with a message when no Chromium is installed (ACM_CHROMIUM overrides).
 */
import assert from "node:assert/strict";
import puppeteer from "puppeteer-core";
import { writeAssetReport } from "../../../core/report/asset_report.ts";
import { addConditionModelOutputs } from "../../_helpers/condition_outputs.ts";
import { tempDir, writeFakeAsset } from "../../_helpers/scored_chunk.ts";
import { loadSensorMetadata } from "../../../core/sensor_metadata/load.ts";
import { writeStoredMetadata } from "../../../core/sensor_metadata/stored.ts";

const EXAMPLE = new URL("../../../examples/sensor_metadata/FD_FAN_sensors.yaml", import.meta.url)
  .pathname;
const BEARING = "DEMO.SIM.06T32-1_1FD Fan Bearing Temperature";

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
      await writeStoredMetadata(`${dir}/FD_FAN`, await loadSensorMetadata(EXAMPLE));
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
      // Shift-drag to the left pans to later times, middle-button drag to the right to earlier
      // ones; the width stays, and neither drag zooms.
      const drag = async (from: number, to: number, button: "left" | "middle") => {
        await page.mouse.move(box.x + from * box.width, y);
        await page.mouse.down({ button });
        await page.mouse.move(box.x + ((from + to) / 2) * box.width, y, { steps: 6 });
        await page.mouse.move(box.x + to * box.width, y, { steps: 6 });
        await page.mouse.up({ button });
      };
      await page.keyboard.down("Shift");
      await drag(0.6, 0.4, "left");
      await page.keyboard.up("Shift");
      const [a3, b3] = await range();
      const w = b2 - a2;
      assert.ok(Math.abs((b3 - a3) - w) < 1, `shift-drag keeps the width: ${b3 - a3} vs ${w}`);
      assert.ok(a3 - a2 > w * 0.1, `shift-drag left moves later: ${a2} → ${a3}`);
      await drag(0.3, 0.6, "middle");
      const [a4, b4] = await range();
      assert.ok(Math.abs((b4 - a4) - w) < 1, `middle drag keeps the width: ${b4 - a4} vs ${w}`);
      assert.ok(a3 - a4 > w * 0.1, `middle drag right moves earlier: ${a3} → ${a4}`);
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
      // Sensor metadata: the selector shows description and unit, the legend the limit.
      await page.select("#explore-sensor", BEARING);
      const option = await page.$eval(
        "#explore-sensor",
        // deno-lint-ignore no-explicit-any
        (el) => (el as any).selectedOptions[0].textContent as string,
      );
      assert.equal(option, `${BEARING} — Fan bearing temperature (°C)`);
      const limits = await page.$$eval(
        "#explore-chart .u-legend .u-series",
        (els) => els.slice(4).map((e) => [e.textContent, e.classList.contains("u-off")]),
      );
      assert.deepEqual(limits.map((l) => l[1]), [true, false], `limit series ${limits}`);
      assert.match(String(limits[1][0]), /high limit/);
      await page.select("#explore-sensor", other);
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
      // The bearing temperature's static panel draws its high limit and a unit axis title.
      const bearing = await page.$eval(
        `details.sensor[data-sensor="${BEARING}"]`,
        (el) => ({
          limits: el.querySelectorAll("svg.sensor-chart line.limit").length,
          title: el.querySelector("svg.sensor-chart text.axis-title")?.textContent,
        }),
      );
      assert.deepEqual(bearing, { limits: 1, title: "value [°C]" });

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
