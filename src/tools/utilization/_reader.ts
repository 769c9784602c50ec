/**
 * The streamed desktop-metrics reader of the utilization toolset: lists a region's desktops and
 * reads their CloudWatch metrics while the listing runs, in chunks that fill one GetMetricData
 * request (250 desktops per request for a positive-only query: it takes two of the 500 slots).
 * Never one call per desktop.
 */
import type { Aws } from "../../aws/clients.ts";
import type { AwsErrorInfo } from "../../aws/errors.ts";
import { forEachWorkspacePage, type Workspace } from "../../aws/listing.ts";
import {
  getMetricSeries,
  MAX_QUERIES_PER_REQUEST,
  type MetricQuery,
  type MetricWindow,
  type Series,
} from "../../aws/metrics.ts";
import type { Collection } from "../_lib/collection.ts";
import type { ToolContext } from "../registry.ts";

/** GetMetricData requests in flight at once per region (CloudWatch allows 50 TPS per account and region). */
const METRIC_CONCURRENCY = 4;
/** Datapoints one GetMetricData response page holds. */
const POINTS_PER_PAGE = 100_800;
/** Datapoints a chunk of desktops aims at: a page with headroom, since desktops differ. */
const TARGET_POINTS_PER_CHUNK = Math.floor(POINTS_PER_PAGE * 0.9);
/** The fewest desktops a chunk holds however dense their data (a page per few desktops costs more than a spare page). */
const MIN_DESKTOPS_PER_CHUNK = 10;

/** What the tools need from the analysis: the handle, its signal and optional progress. */
export interface UsageContext {
  readonly aws: Aws;
  readonly signal: AbortSignal;
  /** A metric batch finished; `total` only once every batch is cut (before, more may come). */
  onBatch?(done: number, total: number | undefined): void;
}

/** The engine's context: metric-batch progress when a single region is analysed. */
export function usageContext(ctx: ToolContext, regions: readonly string[], region: string): UsageContext {
  return {
    aws: ctx.aws,
    signal: ctx.signal,
    onBatch: regions.length === 1 ? (d, t) => void ctx.progress(d, t, `metric batches in ${region}`) : undefined,
  };
}

/** Runs at most `n` tasks at once, in submission order. */
export function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Adds errors to the collection once each (the same AccessDenied from 40 chunks is one entry). */
export function addErrors(col: Collection, errors: readonly AwsErrorInfo[]): void {
  for (const e of errors) {
    const dup = col.errors.some((x) =>
      x.service === e.service && x.operation === e.operation && x.region === e.region && x.code === e.code
    );
    if (!dup) col.errors.push(e);
  }
}

/** How to read and reduce one kind of per-desktop metrics. */
export interface DesktopMetrics<T> {
  /** The queries of one desktop (none: the desktop is only listed). */
  queries(w: Workspace): MetricQuery[];
  readonly window: MetricWindow;
  /** One desktop's result from its series (null where the read failed, with the error). */
  reduce(w: Workspace, series: (Series | null)[], error: AwsErrorInfo | undefined): T | Promise<T>;
}

/** What a streamed read of a region's desktops produced. */
export interface DesktopRead<T> {
  /** One result per desktop, in listing order. */
  items: T[];
  /** GetMetricData requests made (pages included). */
  requests: number;
  /** Datapoints received. */
  points: number;
}

/**
 * Lists a region's desktops and reads their metrics while the listing runs: desktops are cut into
 * chunks that fill one GetMetricData request — at most 500 query slots, and as many desktops as the
 * datapoints seen so far say fit one 100,800-point response page, so dense data costs extra
 * desktops-per-request rather than extra NextToken pages — and each chunk is reduced as soon as it
 * arrives (the raw series are not kept). `onPage` sees every listing page first (e.g. to start
 * connection-status calls), `onListed` the end of the listing; `onChunk` sees each chunk's results. Undefined (error in `col`) when
 * the desktops cannot be listed.
 */
export async function readDesktops<T>(
  ctx: UsageContext,
  region: string,
  reader: DesktopMetrics<T>,
  col: Collection,
  hooks: { onPage?(page: Workspace[]): void; onListed?(): void; onChunk?(items: T[]): Promise<void> } = {},
): Promise<DesktopRead<T> | undefined> {
  const run = limiter(METRIC_CONCURRENCY);
  const chunks: T[][] = [];
  const pending: Promise<void>[] = [];
  let requests = 0;
  let points = 0;
  // Datapoints per queried desktop, measured on the requests so far (the first request calibrates).
  let measuredDesktops = 0;
  let measuredPoints = 0;
  let calibrated = false;
  let done = 0;
  let buffer: Pending[] = [];
  let listingDone = false;

  const dispatch = (chunk: Pending[]) => {
    const index = chunks.length;
    chunks.push([]);
    pending.push(run(async () => {
      const queries = chunk.flatMap((e) => e.queries);
      const r = queries.length === 0
        ? { series: [], errors: [], requests: 0 }
        : await getMetricSeries(ctx.aws, region, queries, reader.window, { signal: ctx.signal, concurrency: 1 });
      requests += r.requests;
      addErrors(col, r.errors);
      let received = 0;
      for (const s of r.series) received += s?.values.length ?? 0;
      points += received;
      if (r.errors.length === 0) {
        measuredDesktops += chunk.filter((e) => e.slots > 0).length;
        measuredPoints += received;
      }
      calibrated = true;
      pump();
      let at = 0;
      const items = await Promise.all(
        chunk.map((e) => reader.reduce(e.w, r.series.slice(at, at += e.queries.length), r.errors[0])),
      );
      chunks[index] = items;
      await hooks.onChunk?.(items);
      // Batches are cut while the listing runs: the total is known only once it ended (never "done of done").
      ctx.onBatch?.(++done, listingDone && buffer.length === 0 ? chunks.length : undefined);
    }));
  };

  // Cuts the buffer into requests: at most 500 slots, and no more desktops than the measured
  // datapoints per desktop say fit one response page. Until the first request has answered, only
  // one goes out (it calibrates the rest).
  const pump = () => {
    while (buffer.length > 0) {
      if (chunks.length > 0 && !calibrated) return;
      const perDesktop = measuredDesktops > 0 ? measuredPoints / measuredDesktops : undefined;
      let slots = 0;
      let expected = 0;
      let queried = 0;
      let k = 0;
      for (; k < buffer.length; k++) {
        const e = buffer[k];
        if (slots + e.slots > MAX_QUERIES_PER_REQUEST) break;
        if (
          e.slots > 0 && perDesktop && queried >= MIN_DESKTOPS_PER_CHUNK &&
          expected + perDesktop > TARGET_POINTS_PER_CHUNK
        ) {
          break;
        }
        slots += e.slots;
        if (e.slots > 0) {
          queried++;
          expected += perDesktop ?? 0;
        }
      }
      if (k === buffer.length && !listingDone) return; // not full yet: wait for more desktops
      dispatch(buffer.slice(0, k));
      buffer = buffer.slice(k);
    }
  };

  const listed = await col.attempt(
    { service: "workspaces", operation: "DescribeWorkspaces", region },
    () =>
      forEachWorkspacePage(ctx.aws, region, ctx.signal, (page) => {
        const withIds = page.filter((w) => w.WorkspaceId);
        hooks.onPage?.(withIds);
        for (const w of withIds) {
          const queries = reader.queries(w);
          buffer.push({ w, queries, slots: queries.reduce((n, q) => n + (q.positiveOnly ? 2 : 1), 0) });
        }
        pump();
      }),
  );
  listingDone = true;
  if (!listed) buffer = []; // a failed listing is reported, not analysed from a partial list
  pump();
  hooks.onListed?.();
  // Chunks dispatched while others complete join `pending`: wait until none is left.
  for (let seen = 0; seen < pending.length;) {
    const batch = pending.slice(seen);
    seen = pending.length;
    await Promise.all(batch);
  }
  if (!listed) return undefined;
  return { items: chunks.flat(), requests, points };
}

/** A listed desktop waiting for its metric request. */
interface Pending {
  w: Workspace;
  queries: MetricQuery[];
  slots: number;
}
