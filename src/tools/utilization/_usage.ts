/**
 * The desktop usage engine shared by utilization, running-mode and unused-resource tools: billable
 * hours from CloudWatch `UserConnected`, active days, the last known connection, and one
 * classification per desktop (unused / idle / active / no_data / unknown).
 *
 * Calls per region: the desktop listing (⌈N/25⌉ DescribeWorkspaces pages, per directory in
 * parallel), ⌈N/25⌉ DescribeWorkspacesConnectionStatus calls (25 ids each, side by side instead of
 * one 25-per-page NextToken chain of N/25 sequential round trips) and the batched GetMetricData
 * read of every desktop's connected samples (250 AlwaysOn desktops per request: a positive-only
 * query takes two of the 500 slots; AutoStop desktops publish only while running and are read whole,
 * one slot, their zero samples adding about timeout / 5 minutes datapoints per session). Never one
 * call per desktop.
 */
import type { OpOutput } from "../../aws/clients.ts";
import type { AwsErrorInfo } from "../../aws/errors.ts";
import type { Workspace } from "../../aws/listing.ts";
import { type MetricQuery, metricWindow, type Series } from "../../aws/metrics.ts";
import { collect } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { forEachRegion } from "../_lib/fanout.ts";
import { DAY, HOUR, iso, MINUTE, round } from "../_lib/format.ts";
import type { ToolContext } from "../registry.ts";
import { addErrors, type DesktopMetrics, limiter, readDesktops, type UsageContext, usageContext } from "./_reader.ts";
import { activeDays, billableHours, idleThresholdDays, sessionsFrom, sessionTimeoutMinutes } from "./_sessions.ts";

/** Ids per DescribeWorkspacesConnectionStatus call (the API maximum). */
const CONNECTION_IDS_PER_CALL = 25;
/** DescribeWorkspacesConnectionStatus calls in flight at once per region. */
const CONNECTION_CONCURRENCY = 8;

/** How a desktop was used in the window. */
export type Classification = "unused" | "idle" | "active" | "no_data" | "unknown";

/** Classifications from "act on it" to "fine", the order lists are sorted in. */
export const CLASSIFICATION_ORDER: readonly Classification[] = ["unused", "idle", "no_data", "unknown", "active"];

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

type ConnectionStatus = NonNullable<
  OpOutput<"workspaces", "DescribeWorkspacesConnectionStatus">["WorkspacesConnectionStatus"]
>[number];

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

/**
 * The UserConnected query of one desktop. AlwaysOn and Manual desktops publish zeros around the
 * clock: only their connected samples are read (positive-only, two slots). An AutoStop desktop
 * publishes only while it runs, so its whole series is read (one slot): the connected samples, and
 * the zero samples of a running, disconnected desktop — the evidence of how long it kept running
 * after a disconnect (about timeout / 5 minutes more datapoints per session).
 */
function connectedQuery(w: Workspace): MetricQuery {
  return {
    namespace: "AWS/WorkSpaces",
    metric: "UserConnected",
    dimensions: { WorkspaceId: w.WorkspaceId! },
    stat: "Maximum",
    positiveOnly: w.WorkspaceProperties?.RunningMode !== "AUTO_STOP",
  };
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
    queries: (w) => [connectedQuery(w)],

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
  // AutoStop desktops are read whole: their zero samples show how long they ran on after a disconnect.
  const running = w.WorkspaceProperties?.RunningMode !== "AUTO_STOP"
    ? undefined
    : { zeros: series.timestamps.filter((_, k) => series.values[k] === 0), periodMs: o.periodMs };
  const sessions = sessionsFrom(ts, o.periodMs, timeout * MINUTE);
  const measured = {
    // The window (lookback × 24 h) touches lookback + 1 calendar days; a day count above lookback reads wrong.
    active_days: Math.min(o.lookbackDays, activeDays(ts)),
    billable_hours: billableHours(sessions, timeout * MINUTE, running),
    sessions: sessions.length,
    connected_hours: round(sessions.reduce((h, s) => h + (s.end - s.start), 0) / HOUR),
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

/** Analyses every region (bounded concurrency) and reports progress per region. */
export async function analyzeRegions(
  ctx: ToolContext,
  regions: readonly string[],
  lookback: number,
  col: Collection,
  onChunk?: (region: string, desktops: DesktopUsage[]) => Promise<void>,
): Promise<RegionUsage[]> {
  const results = await forEachRegion(
    ctx,
    regions,
    (region) =>
      analyzeRegion(usageContext(ctx, regions, region), region, lookback, col, {
        onChunk: onChunk ? (desktops) => onChunk(region, desktops) : undefined,
      }),
    "desktops",
  );
  return results.filter((r): r is RegionUsage => r !== undefined);
}

/** Notes every usage-based answer carries. */
export function usageNotes(usage: readonly RegionUsage[], lookback: number): string[] {
  const notes = [
    "Classification is about user connections, not power state: an AVAILABLE AlwaysOn desktop nobody connects to " +
    "is unused, and a STOPPED AutoStop desktop that is used every day is active.",
    "billable_hours is what AutoStop bills (AWS Solutions' Cost Optimizer model): the connected samples form " +
    "sessions, a disconnect at least as long as the desktop's AutoStop timeout ends one (60 minutes for AlwaysOn " +
    "and Manual desktops), and each session bills from its first connected sample until the desktop stopped " +
    "publishing samples after the disconnect, at most the timeout, rounded up to whole hours. For AlwaysOn " +
    "desktops it is what they would bill under AutoStop (the full timeout).",
    `A desktop is idle when it was used on at most ${idleThresholdDays(lookback)} of the ${lookback} days ` +
    "(max(1, floor(lookback_days / 7))); unused when it has no connected sample and no known connection in the window.",
  ];
  if (usage.some((u) => u.period > 300)) {
    notes.push(
      "The window reaches beyond CloudWatch's 63-day retention of 5-minute data, so UserConnected is read hourly: " +
        "session edges are rounded to the hour and billable hours are approximate.",
    );
  }
  return notes;
}

/** The bundle facts every desktop row carries: compute type, operating system, volume sizes. */
export function workspaceFacts(w: Workspace): {
  compute_type: string | null;
  operating_system: string | null;
  root_volume_gib: number | null;
  user_volume_gib: number | null;
} {
  const p = w.WorkspaceProperties ?? {};
  return {
    compute_type: p.ComputeTypeName ?? null,
    operating_system: p.OperatingSystemName ?? null,
    root_volume_gib: p.RootVolumeSizeGib ?? null,
    user_volume_gib: p.UserVolumeSizeGib ?? null,
  };
}
