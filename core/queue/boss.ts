/**
 * The job queue of distributed replay: pg-boss (npm:pg-boss) in the same
 * database as the results store. One queue, `acm_replay`, policy
 * `key_strict_fifo` with `singletonKey = asset`: at most one job of an asset is
 * active at a time and an asset's chunks are fetched in the order they were
 * sent, while other assets flow. A job that fails (or whose worker died and
 * whose claim expired) is retried and holds back only its own asset.
 */
import { PgBoss } from "pg-boss";
import type { TxSql } from "../store/pg_connect.ts";

/** The queue name. */
export const QUEUE = "acm_replay";

/** Queue timing (seconds). */
export interface QueueTiming {
  /** A job active longer than this is taken back and retried (a dead or stopped worker). */
  expireInSeconds: number;
  /** Retries after the first attempt. */
  retryLimit: number;
  /** How often pg-boss's supervisor looks for expired jobs (its default, 60 s, is slow). */
  monitorIntervalSeconds: number;
}

/** Defaults: chunks of a few thousand rows take seconds, so 10 minutes is generous. */
export const DEFAULT_TIMING: QueueTiming = {
  expireInSeconds: 600,
  retryLimit: 2,
  monitorIntervalSeconds: 2,
};

/** One replay job: chunk `idx` of `asset` in run `runId`. */
export interface ChunkJobData {
  runId: string;
  asset: string;
  idx: number;
  chunk: string;
  path: string;
  sha256: string;
  total: number;
}

/**
 * Starts pg-boss on `url` ("" = PG* environment) and makes sure the queue exists. With
 * `configure` (the coordinator), the queue's expiry and retry limit are set to `timing`; jobs
 * keep the values they were sent with, so workers never change them.
 */
export async function openBoss(
  url: string,
  opts: {
    supervise: boolean;
    timing?: Partial<QueueTiming>;
    configure?: boolean;
    ssl?: unknown;
    onError?: (e: Error) => void;
  },
): Promise<PgBoss> {
  const timing = { ...DEFAULT_TIMING, ...opts.timing };
  const boss = new PgBoss({
    ...(url ? { connectionString: url } : {}),
    ssl: opts.ssl as never,
    application_name: "acm queue",
    max: 4,
    supervise: opts.supervise,
    monitorIntervalSeconds: timing.monitorIntervalSeconds,
    superviseIntervalSeconds: timing.monitorIntervalSeconds,
  } as never);
  boss.on("error", (e: Error) => opts.onError?.(e));
  await boss.start();
  const have = await boss.getQueue(QUEUE);
  if (!have) {
    await boss.createQueue(QUEUE, {
      policy: "key_strict_fifo",
      expireInSeconds: timing.expireInSeconds,
      retryLimit: timing.retryLimit,
      retryDelay: 1,
      deleteAfterSeconds: 7 * 86400,
    }).catch(async (e) => {
      if (!(await boss.getQueue(QUEUE))) throw e; // another process created it first
    });
  } else if (opts.configure) {
    await boss.updateQueue(QUEUE, {
      expireInSeconds: timing.expireInSeconds,
      retryLimit: timing.retryLimit,
    } as never);
  }
  return boss;
}

/** pg-boss's database interface over one of our transactions (its statements join it). */
export function bossDb(
  tx: TxSql,
): { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } {
  return {
    async executeSql(text, values) {
      const rows = await tx.unsafe(text, (values ?? []) as never[]);
      return { rows: [...rows] };
    },
  };
}
