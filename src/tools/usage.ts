/**
 * The desktop usage engine shared by utilization, running-mode and unused-resource tools: billable
 * hours from CloudWatch `UserConnected`, active days, the last known connection, and one
 * classification per desktop (unused / idle / active / no_data / unknown).
 *
 * Calls per region: the desktop listing (⌈N/25⌉ DescribeWorkspaces pages, per directory in
 * parallel), ⌈N/25⌉ DescribeWorkspacesConnectionStatus calls (25 ids each, side by side instead of
 * one 25-per-page NextToken chain of N/25 sequential round trips) and the batched GetMetricData
 * read of every desktop's connected samples (250 desktops per request: a positive-only query
 * takes two of the 500 slots). Never one call per desktop.
 */
import type { Aws, OpOutput } from "../aws/clients.ts";
import type { AwsErrorInfo } from "../aws/errors.ts";
import {
  getMetricSeries,
  MAX_QUERIES_PER_REQUEST,
  type MetricQuery,
  type MetricWindow,
  metricWindow,
  type Series,
} from "../aws/metrics.ts";
import { collect } from "../aws/paginate.ts";
import { Collection } from "./_lib/collection.ts";
import { forEachWorkspacePage, type Workspace } from "../aws/listing.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Ids per DescribeWorkspacesConnectionStatus call (the API maximum). */
const CONNECTION_IDS_PER_CALL = 25;
/** DescribeWorkspacesConnectionStatus calls in flight at once per region. */
const CONNECTION_CONCURRENCY = 8;
/** GetMetricData requests in flight at once per region (CloudWatch allows 50 TPS per account and region). */
const METRIC_CONCURRENCY = 4;
/** Datapoints one GetMetricData response page holds. */
const POINTS_PER_PAGE = 100_800;
/** Datapoints a chunk of desktops aims at: a page with headroom, since desktops differ. */
const TARGET_POINTS_PER_CHUNK = Math.floor(POINTS_PER_PAGE * 0.9);
/** The fewest desktops a chunk holds however dense their data (a page per few desktops costs more than a spare page). */
const MIN_DESKTOPS_PER_CHUNK = 10;
/**
 * The gap that ends a session for desktops without an AutoStop timeout (AlwaysOn, Manual): the
 * default AutoStop timeout, i.e. what they would be billed under AutoStop.
 */
export const DEFAULT_SESSION_TIMEOUT_MINUTES = 60;

/** How a desktop was used in the window. */
export type Classification = "unused" | "idle" | "active" | "no_data" | "unknown";

/** Classifications from "act on it" to "fine", the order lists are sorted in. */
export const CLASSIFICATION_ORDER: readonly Classification[] = ["unused", "idle", "no_data", "unknown", "active"];

/** A connected run: first sample start and end of the last sample (epoch ms). */
export interface Session {
  start: number;
  end: number;
}

/** One desktop's usage in the window. */
export interface DesktopUsage {
  workspace: Workspace;
  region: string;
  /** Minutes a disconnect must last to end a session (the AutoStop timeout, else 60). */
  session_timeout_minutes: number;
  active_days: number | null;
  billable_hours: number | null;
  sessions: number | null;
  connected_hours: number | null;
  last_connection: string | null;
  connection_state: string | null;
  classification: Classification;
  classification_reason: string;
}

/** The usage of every desktop of one region. */
export interface RegionUsage {
  region: string;
  desktops: DesktopUsage[];
  /** The metric period used (300 s within 63 days, else 3600 s). */
  period: number;
  /** Start of the analysed window (epoch ms). */
  windowStart: number;
  /** GetMetricData requests made. */
  metricRequests: number;
  /** False when DescribeWorkspacesConnectionStatus failed (last connections unknown). */
  connectionsKnown: boolean;
}

/** The idle threshold: a desktop used on at most this many days of the window is idle. */
export function idleThresholdDays(lookbackDays: number): number {
  return Math.max(1, Math.floor(lookbackDays / 7));
}

/**
 * Splits connected samples (ascending sample start times) into sessions: a session starts at the
 * first connected sample and ends when no sample is connected for at least `timeoutMs` (measured
 * from the end of the last connected sample to the start of the next one).
 */
export function sessionsFrom(timestamps: readonly number[], periodMs: number, timeoutMs: number): Session[] {
  const out: Session[] = [];
  let current: Session | undefined;
  for (const t of timestamps) {
    if (current && t - current.end < timeoutMs) {
      current.end = Math.max(current.end, t + periodMs);
      continue;
    }
    current = { start: t, end: t + periodMs };
    out.push(current);
  }
  return out;
}

/**
 * AutoStop billable hours of the sessions (AWS Solutions' Cost Optimizer model): each session's
 * connected span rounded up to whole hours, plus the AutoStop timeout the desktop keeps running for
 * after the disconnect — computed as ceil((span + timeout) / 1 h), which equals ceil(span) + timeout
 * for the whole-hour timeouts AWS allows (60-minute steps).
 */
export function billableHours(sessions: readonly Session[], timeoutMs: number): number {
  let hours = 0;
  for (const s of sessions) hours += Math.ceil((s.end - s.start + timeoutMs) / HOUR - 1e-9);
  return hours;
}

/** Distinct UTC days with at least one connected sample. */
export function activeDays(timestamps: readonly number[]): number {
  const days = new Set<number>();
  for (const t of timestamps) days.add(Math.floor(t / DAY));
  return days.size;
}

/** The minutes a disconnect must last to end one of this desktop's sessions. */
export function sessionTimeoutMinutes(w: Workspace): number {
  const p = w.WorkspaceProperties;
  const t = p?.RunningMode === "AUTO_STOP" ? p.RunningModeAutoStopTimeoutInMinutes : undefined;
  return t && t > 0 ? t : DEFAULT_SESSION_TIMEOUT_MINUTES;
}

type ConnectionStatus = NonNullable<
  OpOutput<"workspaces", "DescribeWorkspacesConnectionStatus">["WorkspacesConnectionStatus"]
>[number];

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
      ctx.onBatch?.(++done, chunks.length);
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

/** Connection status of desktops, asked for 25 ids at a time as the listing delivers them. */
class ConnectionStatuses {
  readonly #run = limiter(CONNECTION_CONCURRENCY);
  readonly #byId = new Map<string, Promise<ConnectionStatus | null | undefined>>();
  #buffer: { id: string; resolve: (s: ConnectionStatus | null | undefined) => void }[] = [];
  failed = false;

  constructor(
    readonly ctx: UsageContext,
    readonly region: string,
    readonly col: Collection,
  ) {}

  /** Queues the desktops' ids; a call goes out for every 25. */
  add(ids: readonly string[]): void {
    for (const id of ids) {
      this.#byId.set(id, new Promise((resolve) => this.#buffer.push({ id, resolve })));
      if (this.#buffer.length >= CONNECTION_IDS_PER_CALL) this.flush();
    }
  }

  /** Sends the queued ids (the last, partial call). */
  flush(): void {
    const batch = this.#buffer;
    this.#buffer = [];
    if (batch.length === 0) return;
    void this.#run(async () => {
      const scratch = new Collection();
      const items = await scratch.attempt(
        { service: "workspaces", operation: "DescribeWorkspacesConnectionStatus", region: this.region },
        async () =>
          (await collect(
            this.ctx.aws,
            "workspaces",
            "DescribeWorkspacesConnectionStatus",
            { WorkspaceIds: batch.map((b) => b.id) },
            "WorkspacesConnectionStatus",
            { region: this.region, signal: this.ctx.signal },
          )).items,
      );
      addErrors(this.col, scratch.errors);
      if (!items) this.failed = true;
      const byId = new Map((items ?? []).map((s) => [s.WorkspaceId, s]));
      for (const b of batch) b.resolve(items ? byId.get(b.id) ?? null : undefined);
    });
  }

  /** The status of a desktop: null when AWS returned none, undefined when the call failed. */
  of(id: string): Promise<ConnectionStatus | null | undefined> {
    return this.#byId.get(id) ?? Promise.resolve(undefined);
  }
}

/** The UserConnected query of one desktop: only connected 5-minute samples come back. */
function connectedQuery(id: string): MetricQuery {
  return {
    namespace: "AWS/WorkSpaces",
    metric: "UserConnected",
    dimensions: { WorkspaceId: id },
    stat: "Maximum",
    positiveOnly: true,
  };
}

function iso(d: Date | undefined): string | null {
  return d instanceof Date && !isNaN(d.getTime()) ? d.toISOString() : null;
}

/** What the tools need from the analysis: the handle, its signal and optional progress. */
export interface UsageContext {
  readonly aws: Aws;
  readonly signal: AbortSignal;
  onBatch?(done: number, total: number): void;
}

/**
 * Lists a region's desktops and classifies each one's use over the last `lookbackDays`. Returns
 * undefined (with the error in `col`) when the desktops cannot be listed; a failed connection-status
 * or metric read degrades to `no_data` / `unknown` entries instead. `onChunk` receives the
 * classified desktops chunk by chunk while the rest is still being read.
 */
export async function analyzeRegion(
  ctx: UsageContext,
  region: string,
  lookbackDays: number,
  col: Collection,
  opts: { now?: number; onChunk?(desktops: DesktopUsage[]): Promise<void> } = {},
): Promise<RegionUsage | undefined> {
  const now = opts.now ?? Date.now();
  const window = metricWindow(lookbackDays * DAY, 300, now);
  const windowStart = now - lookbackDays * DAY;
  const periodMs = window.period * 1000;
  const threshold = idleThresholdDays(lookbackDays);
  const statuses = new ConnectionStatuses(ctx, region, col);
  const reader: DesktopMetrics<DesktopUsage> = {
    queries: (w) => [connectedQuery(w.WorkspaceId!)],

    window,
    async reduce(w, [series], error) {
      const status = await statuses.of(w.WorkspaceId!);
      return classify(w, region, series, error, status, { lookbackDays, windowStart, periodMs, threshold });
    },
  };
  const read = await readDesktops(ctx, region, reader, col, {
    onPage: (page) => statuses.add(page.map((w) => w.WorkspaceId!)),
    onListed: () => statuses.flush(),
    onChunk: opts.onChunk,
  });
  if (!read) return undefined;
  return {
    region,
    desktops: read.items,
    period: window.period,
    windowStart,
    metricRequests: read.requests,
    connectionsKnown: !statuses.failed,
  };
}

/** One desktop's usage figures and class from its connected samples and connection status. */
function classify(
  w: Workspace,
  region: string,
  series: Series | null,
  error: AwsErrorInfo | undefined,
  status: ConnectionStatus | null | undefined,
  o: { lookbackDays: number; windowStart: number; periodMs: number; threshold: number },
): DesktopUsage {
  const timeout = sessionTimeoutMinutes(w);
  const last = status?.LastKnownUserConnectionTimestamp;
  const base = {
    workspace: w,
    region,
    session_timeout_minutes: timeout,
    last_connection: iso(last),
    connection_state: status?.ConnectionState ?? null,
  };
  if (!series) {
    return {
      ...base,
      active_days: null,
      billable_hours: null,
      sessions: null,
      connected_hours: null,
      classification: "unknown",
      classification_reason: `CloudWatch UserConnected could not be read (${
        error ? `${error.code}: ${error.message}` : "GetMetricData failed"
      }); usage is unknown, not zero.`,
    };
  }
  const ts = series.timestamps.filter((_, k) => series.values[k] > 0);
  const sessions = sessionsFrom(ts, o.periodMs, timeout * MINUTE);
  const measured = {
    // The window (lookback × 24 h) touches lookback + 1 calendar days; a day count above lookback reads wrong.
    active_days: Math.min(o.lookbackDays, activeDays(ts)),
    billable_hours: billableHours(sessions, timeout * MINUTE),
    sessions: sessions.length,
    connected_hours: round1(sessions.reduce((h, s) => h + (s.end - s.start), 0) / HOUR),
  };
  const connectedInWindow = last instanceof Date && last.getTime() >= o.windowStart;
  const days = o.lookbackDays;
  let classification: Classification;
  let reason: string;
  if (ts.length > 0) {
    if (measured.active_days <= o.threshold) {
      classification = "idle";
      reason = `Connected on ${measured.active_days} of the last ${days} days (idle: at most ${o.threshold}).`;
    } else {
      classification = "active";
      reason = `Connected on ${measured.active_days} of the last ${days} days.`;
    }
  } else if (connectedInWindow) {
    classification = "no_data";
    reason = `No connected UserConnected samples in the last ${days} days, but WorkSpaces reports a ` +
      `connection at ${iso(last)}: the metrics are missing, so the desktop is not called unused.`;
  } else if (status === undefined) {
    classification = "no_data";
    reason = `No connected UserConnected samples in the last ${days} days, and the last known connection ` +
      "could not be read (DescribeWorkspacesConnectionStatus failed), so the desktop is not called unused.";
  } else {
    classification = "unused";
    reason = `No user connection in the last ${days} days: no connected UserConnected samples and ` +
      (last ? `the last known connection was ${iso(last)}.` : "no known connection at all.");
  }
  return { ...base, ...measured, classification, classification_reason: reason };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
