/**
 * `webhook` sink: POSTs episode opened/updated/closed events as JSON to an
 * HTTP endpoint (core/alerts/). Per asset it keeps what it announced in
 * `webhook_announced.json` and appends undeliverable events to
 * `webhook_dead_letter.jsonl`, both in the asset directory. In `acm replay`
 * the asset's Worker may reach only the webhook's host (core/replay/permissions.ts).
 */
import { defineSink, type SinkTarget } from "../../core/plugin.ts";
import { episodeRecord } from "../../core/io/records.ts";
import { atomicWriteText } from "../../core/io/atomic_write.ts";
import { type Announced, episodeEvents } from "../../core/alerts/episode_events.ts";
import { deliver, redactUrl } from "../../core/alerts/webhook_delivery.ts";

/** Options of the webhook sink. */
export interface WebhookOptions {
  url: string;
  headers: Record<string, string>;
  events: ("opened" | "updated" | "closed")[];
  max_attempts: number;
  backoff_ms: number;
  max_backoff_ms: number;
  timeout_ms: number;
}

/** File names in the asset directory. */
export const ANNOUNCED_FILE = "webhook_announced.json";
export const DEAD_LETTER_FILE = "webhook_dead_letter.jsonl";

export default defineSink<WebhookOptions>({
  kind: "sink",
  name: "webhook",
  version: "1.0.0",
  summary:
    "POSTs episode opened/updated/closed events as JSON (retries with backoff, idempotency key, dead-letter file per asset).",
  host_api: "^1.0.0",
  scope: "asset",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      url: {
        type: "string",
        description:
          "http(s) URL the events are POSTed to. Put tokens in headers via ${ENV} references, not here; only scheme, host and path are ever printed.",
        default: "",
      },
      headers: {
        type: "object",
        additionalProperties: { type: "string" },
        description:
          "Extra request headers, e.g. Authorization: Bearer ${ACM_WEBHOOK_TOKEN}. Values are never logged.",
        default: {},
      },
      events: {
        type: "array",
        items: { enum: ["opened", "updated", "closed"] },
        uniqueItems: true,
        description: "Which episode events to send.",
        default: ["opened", "updated", "closed"],
      },
      max_attempts: {
        type: "integer",
        minimum: 1,
        description: "Attempts per event before it goes to the dead-letter file.",
        default: 5,
      },
      backoff_ms: {
        type: "integer",
        minimum: 0,
        description: "Wait before the second attempt, in ms; doubled after each failure.",
        default: 500,
      },
      max_backoff_ms: {
        type: "integer",
        minimum: 0,
        description: "Longest wait between attempts, in ms.",
        default: 30000,
      },
      timeout_ms: {
        type: "integer",
        minimum: 1,
        description: "Time an attempt may take before it counts as failed, in ms.",
        default: 10000,
      },
    },
    examples: [
      { url: "https://alerts.example.com/acm" },
      {
        url: "http://127.0.0.1:8080/hook",
        headers: { Authorization: "Bearer ${ACM_WEBHOOK_TOKEN}" },
        events: ["opened", "closed"],
        max_attempts: 3,
      },
    ],
  },
  create(options, ctx) {
    const o: WebhookOptions = {
      url: "",
      headers: {},
      events: ["opened", "updated", "closed"],
      max_attempts: 5,
      backoff_ms: 500,
      max_backoff_ms: 30000,
      timeout_ms: 10000,
      ...(options as Partial<WebhookOptions>),
    };
    let url: URL | null = null;
    try {
      url = new URL(o.url);
    } catch { /* reported by open() */ }
    const usable = url !== null && (url.protocol === "http:" || url.protocol === "https:");
    let target: SinkTarget | undefined;
    const wanted = new Set(o.events);
    return {
      open(t) {
        if (!usable) {
          ctx.fail(
            o.url ? `url "${redactUrl(o.url)}" is not an http(s) URL` : "url is not set",
            { path: "url", hint: "set url: https://host/path on the webhook sink" },
          );
        }
        target = t;
        return Promise.resolve();
      },
      async write(chunk) {
        const t = target ?? ctx.fail("write() was called before open()");
        const stateFile = `${t.assetDir}/${ANNOUNCED_FILE}`;
        const before = await Deno.readTextFile(stateFile).then(
          (s) => JSON.parse(s) as Record<string, Announced>,
          (e) => (e instanceof Deno.errors.NotFound ? {} : Promise.reject(e)),
        );
        const { events, announced } = episodeEvents(
          chunk.asset,
          chunk.chunk,
          chunk.episodes.map(episodeRecord),
          before,
        );
        for (const event of events) {
          if (!wanted.has(event.type)) continue;
          const r = await deliver(event, event.idempotency_key, {
            url: o.url,
            headers: o.headers,
            maxAttempts: o.max_attempts,
            backoffMs: o.backoff_ms,
            maxBackoffMs: o.max_backoff_ms,
            timeoutMs: o.timeout_ms,
            deadLetterFile: `${t.assetDir}/${DEAD_LETTER_FILE}`,
          });
          const what = `episode #${event.episode.episode_id} ${event.type}`;
          if (r.delivered) ctx.log.debug(`${what}: sent to ${redactUrl(o.url)}`);
          else {
            ctx.log.warn(
              `${what}: not delivered after ${r.attempts} attempt(s) (${r.error}); kept in ${DEAD_LETTER_FILE}`,
            );
          }
        }
        await atomicWriteText(stateFile, JSON.stringify(announced, null, 1) + "\n");
      },
    };
  },
});
