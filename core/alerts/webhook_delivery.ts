/**
 * POSTs events as JSON to a webhook with retries and exponential backoff.
 * Retried: network errors, timeouts, HTTP 408, 429 and 5xx; any other non-2xx
 * answer is final. An event that is not delivered after the last attempt is
 * appended to a dead-letter file (JSON lines) so nothing is lost. Messages name
 * the URL without user info, query or fragment, and never header values, so a
 * token in the URL or an Authorization header is not logged.
 */

/** Delivery settings. */
export interface DeliveryOptions {
  url: string;
  /** Extra request headers (e.g. Authorization); values are never logged. */
  headers: Record<string, string>;
  maxAttempts: number;
  /** Wait before the 2nd attempt; doubled each time, capped at maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  /** JSON-lines file undeliverable events are appended to. */
  deadLetterFile: string;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** How one event went. */
export interface DeliveryResult {
  delivered: boolean;
  attempts: number;
  /** Status of the last answer (null: no answer). */
  status: number | null;
  /** Why it failed (no secrets). */
  error: string | null;
}

/** The URL as safe to print: scheme, host, port and path only. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "<invalid url>";
  }
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** Delivers one JSON body with header `Idempotency-Key: key`; dead-letters it on failure. */
export async function deliver(
  body: unknown,
  key: string,
  opts: DeliveryOptions,
): Promise<DeliveryResult> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const text = JSON.stringify(body);
  let status: number | null = null;
  let error: string | null = null;
  let attempt = 0;
  while (attempt < Math.max(1, opts.maxAttempts)) {
    if (attempt > 0) {
      await sleep(Math.min(opts.maxBackoffMs, opts.backoffMs * 2 ** (attempt - 1)));
    }
    attempt++;
    try {
      const res = await fetch(opts.url, {
        method: "POST",
        headers: { ...opts.headers, "content-type": "application/json", "idempotency-key": key },
        body: text,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      status = res.status;
      await res.body?.cancel();
      if (res.ok) return { delivered: true, attempts: attempt, status, error: null };
      error = `HTTP ${res.status} from ${redactUrl(opts.url)}`;
      if (!retryable(res.status)) break;
    } catch (e) {
      status = null;
      const name = (e as Error).name;
      error = name === "TimeoutError"
        ? `no answer from ${redactUrl(opts.url)} within ${opts.timeoutMs} ms`
        : `cannot reach ${redactUrl(opts.url)} (${name})`;
    }
  }
  const line = JSON.stringify({
    idempotency_key: key,
    url: redactUrl(opts.url),
    attempts: attempt,
    status,
    error,
    failed_at: new Date().toISOString(),
    body,
  });
  await Deno.writeTextFile(opts.deadLetterFile, line + "\n", { append: true });
  return { delivered: false, attempts: attempt, status, error };
}
