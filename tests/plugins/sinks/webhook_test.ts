import assert from "node:assert/strict";
import { replay } from "../../../core/replay/replay.ts";
import { webhookHosts } from "../../../core/replay/permissions.ts";

/** Chunks of 3 noisy sensors, 10-min steps; chunk 2 and 3 each hold a 20-row shift of sensor a. */
async function writeShiftFleet(root: string): Promise<void> {
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (const asset of ["A", "B"]) {
    await Deno.mkdir(`${root}/${asset}`, { recursive: true });
    let t = Date.UTC(2024, 0, 1);
    for (let k = 1; k <= 3; k++) {
      let text = "timestamp,a,b,c\n";
      for (let i = 0; i < 200; i++, t += 600_000) {
        const shift = k > 1 && i >= 60 && i < 80 ? 6 : 0;
        text += `${new Date(t).toISOString().slice(0, 19)},${(rand() + shift).toFixed(4)},${
          (1 + rand()).toFixed(4)
        },${(2 + rand()).toFixed(4)}\n`;
      }
      await Deno.writeTextFile(`${root}/${asset}/batch_00${k}.csv`, text);
    }
  }
}

const pipelineYaml = (port: number) =>
  `version: 1
name: webhook-test
seed: 5
source: { id: raw, plugin: csv }
detectors:
  - { id: mahalanobis, plugin: mahalanobis, inputs: [raw] }
fusion: { id: fused, plugin: weighted_mean, inputs: [mahalanobis] }
episodes: { on_z: 3, on_hold_rows: 3, off_z: 1.5, off_hold_rows: 3 }
sinks:
  - { id: csv, plugin: csv }
  - id: alert
    plugin: webhook
    url: http://127.0.0.1:${port}/hook
    headers: { Authorization: "Bearer \${ACM_TEST_WEBHOOK_TOKEN}" }
    backoff_ms: 1
`;

Deno.test("webhook sink POSTs every episode from inside the asset Workers, with keys stable across re-runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_webhook_" });
  await writeShiftFleet(`${dir}/c`);
  const got: { key: string; auth: string | null; body: Record<string, unknown> }[] = [];
  let fail = 1; // the first request fails: the retry must deliver it
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.json();
    if (fail-- > 0) return new Response("busy", { status: 503 });
    got.push({
      key: req.headers.get("idempotency-key")!,
      auth: req.headers.get("authorization"),
      body,
    });
    return new Response("ok");
  });
  try {
    await Deno.writeTextFile(`${dir}/p.yaml`, pipelineYaml(server.addr.port));
    const logs: string[] = [];
    const run = (art: string) =>
      replay({
        pipeline: `${dir}/p.yaml`,
        chunkRoot: `${dir}/c`,
        artifactRoot: `${dir}/${art}`,
        maxWorkers: 2,
        env: { ACM_TEST_WEBHOOK_TOKEN: "tok-123" },
        onEvent: (e) => logs.push(JSON.stringify(e)),
      });
    const s = await run("a1");
    assert.equal(s.exitCode, 0, JSON.stringify(s.assets));
    for (const asset of ["A", "B"]) {
      const episodes = (await Deno.readTextFile(`${dir}/a1/${asset}/episodes.csv`)).trim()
        .split("\n").slice(1);
      const mine = got.filter((g) => g.body.asset === asset);
      const opened = mine.filter((g) => g.body.type === "opened");
      assert.ok(episodes.length > 0, `${asset} has episodes`);
      assert.equal(opened.length, episodes.length, asset);
      const closed = mine.filter((g) => g.body.type === "closed").length;
      const open = episodes.length - closed;
      assert.ok(open >= 0 && open <= 1, `${asset}: ${open} open`);
    }
    assert.ok(got.every((g) => g.auth === "Bearer tok-123" && /^[0-9a-f]{32}$/.test(g.key)));
    assert.equal(new Set(got.map((g) => g.key)).size, got.length, "no event sent twice");
    assert.ok(!logs.join("\n").includes("tok-123"), "the token is never logged");
    // A re-run from scratch sends the same events under the same keys.
    const first = got.map((g) => g.key).sort();
    got.length = 0;
    assert.equal((await run("a2")).exitCode, 0);
    assert.deepEqual(got.map((g) => g.key).sort(), first);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("webhookHosts() gives the Worker net access to the webhook hosts only", () => {
  assert.deepEqual(
    webhookHosts({
      sinks: [
        { id: "csv", plugin: "csv" },
        { id: "a", plugin: "webhook", url: "http://127.0.0.1:8080/x?token=y" },
        { id: "b", plugin: "webhook", url: "https://alerts.example.com/acm" },
        { id: "c", plugin: "webhook", url: "ftp://nope" },
      ],
    }),
    ["127.0.0.1:8080", "alerts.example.com"],
  );
  assert.deepEqual(webhookHosts({ sinks: [{ id: "csv", plugin: "csv" }] }), []);
});
