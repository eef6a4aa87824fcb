import assert from "node:assert/strict";
import { deliver, redactUrl } from "../../../core/alerts/webhook_delivery.ts";

/** A receiver on 127.0.0.1 that answers with `codes` in turn (then 200) and records requests. */
function receiver(codes: number[]) {
  const got: { key: string | null; auth: string | null; body: unknown }[] = [];
  let k = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    got.push({
      key: req.headers.get("idempotency-key"),
      auth: req.headers.get("authorization"),
      body: await req.json(),
    });
    return new Response("", { status: codes[k++] ?? 200 });
  });
  return { got, server, url: `http://127.0.0.1:${server.addr.port}/hook?token=s3cret` };
}

const base = (url: string, dir: string) => ({
  url,
  headers: { Authorization: "Bearer TOPSECRET" },
  maxAttempts: 4,
  backoffMs: 10,
  maxBackoffMs: 15,
  timeoutMs: 2000,
  deadLetterFile: `${dir}/dead.jsonl`,
});

Deno.test("deliver() retries 503 and 429 with doubling backoff, then succeeds with one key", async () => {
  const dir = await Deno.makeTempDir();
  const r = receiver([503, 429]);
  const waits: number[] = [];
  try {
    const res = await deliver({ a: 1 }, "k1", {
      ...base(r.url, dir),
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
    });
    assert.deepEqual(res, { delivered: true, attempts: 3, status: 200, error: null });
    assert.deepEqual(waits, [10, 15]);
    assert.deepEqual(r.got.map((g) => g.key), ["k1", "k1", "k1"]);
    assert.equal(r.got[0].auth, "Bearer TOPSECRET");
    assert.deepEqual(r.got[2].body, { a: 1 });
    assert.equal(await Deno.stat(`${dir}/dead.jsonl`).catch(() => null), null);
  } finally {
    await r.server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deliver() dead-letters a 400 at once and an unreachable host after every attempt, naming no secret", async () => {
  const dir = await Deno.makeTempDir();
  const r = receiver([400]);
  try {
    const bad = await deliver({ b: 2 }, "k2", base(r.url, dir));
    assert.deepEqual([bad.delivered, bad.attempts, bad.status], [false, 1, 400]);
    await r.server.shutdown();
    // Nothing listens on the port any more.
    const gone = await deliver({ c: 3 }, "k3", base(r.url, dir));
    assert.deepEqual([gone.delivered, gone.attempts, gone.status], [false, 4, null]);
    const lines = (await Deno.readTextFile(`${dir}/dead.jsonl`)).trim().split("\n");
    assert.deepEqual(lines.map((l) => JSON.parse(l).idempotency_key), ["k2", "k3"]);
    assert.deepEqual(JSON.parse(lines[1]).body, { c: 3 });
    const text = lines.join("\n") + bad.error + gone.error;
    assert.ok(!text.includes("s3cret") && !text.includes("TOPSECRET"), text);
    assert.match(gone.error!, /cannot reach http:\/\/127\.0\.0\.1:\d+\/hook/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("redactUrl() keeps scheme, host and path only", () => {
  assert.equal(redactUrl("https://u:p@h.example:8443/a/b?token=x#f"), "https://h.example:8443/a/b");
  assert.equal(redactUrl("not a url"), "<invalid url>");
});
