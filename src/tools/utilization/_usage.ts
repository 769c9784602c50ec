/**
 * The desktop usage engine shared by utilization, running-mode and unused-resource tools: billable
 * hours from CloudWatch `UserConnected`, active days, the last known connection, and one
 * classification per desktop (unused / idle / active / no_data / unknown).
 *
 * Calls per region: the desktop listing (⌈N/25⌉ DescribeWorkspaces pages, in parallel chains),
 * ⌈N/25⌉ DescribeWorkspacesConnectionStatus calls side by side (ConnectionStatuses), the batched
 * hourly GetMetricData read of every desktop's connected samples (up to 250 AlwaysOn desktops per
 * request: a positive-only query takes two of the 500 slots; AutoStop desktops are read whole, one
 * slot), and 5-minute reads only for the desktops a tool needs exact figures of (FineReads). The two
 * batched readers live in _usage_reads.ts. Never one call per desktop.
 */
import type { AwsErrorInfo } from "../../aws/errors.ts";
import type { Workspace } from "../../aws/listing.ts";
import { type MetricWindow, metricWindow, minimumPeriod, type Series } from "../../aws/metrics.ts";
import { Collection } from "../_lib/collection.ts";
import { forEachRegion } from "../_lib/fanout.ts";
import { DAY, HOUR, iso, MINUTE, round } from "../_lib/format.ts";
import type { ToolContext } from "../registry.ts";
import { type DesktopMetrics, readDesktops, type UsageContext, usageContext } from "./_reader.ts";
import { connectedQuery, type ConnectionStatus, ConnectionStatuses, FineReads } from "./_usage_reads.ts";
import {
  activeDays,
  billableBounds,
  billableHours,
  type Bounds,
  idleThresholdDays,
  sessionsFrom,
  sessionTimeoutMinutes,
} from "./_sessions.ts";

/**
 * How the usage engine reads UserConnected. "adaptive" (what the tools use): hourly for every
 * desktop, then 5-minute data only for the desktops a tool needs exact figures of. "five_minute":
 * every desktop at 5 minutes — the reference the adaptive read is tested against; internal, no tool
 * input reaches it.
 */
export const USAGE_READ: { mode: "adaptive" | "five_minute" } = { mode: "adaptive" };

/** Datapoints read, by resolution. */
export interface Datapoints {
  hourly: number;
  five_minute: number;
}

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
  /**
   * True when the figures (billable hours, sessions, connected hours) are what the full read at the
   * finest resolution CloudWatch keeps gives: 5-minute data, no connected hour at all, or beyond 63
   * days the hourly data. False: only hourly data was read; the figures are null and
   * `billable_range` bounds the billable hours.
   */
  exact: boolean;
  /** The billable hours lie in [min, max] (min = max when exact); null when unknown or not bounded. */
  billable_range: Bounds | null;
  /** Hourly points read for this desktop (sizes its 5-minute read: at most 12 points per hourly point). */
  hourly_points: number;
}

/** The usage of every desktop of one region. */
export interface RegionUsage {
  region: string;
  desktops: DesktopUsage[];
  /** The finest metric period of the analysis (300 s within 63 days, else 3600 s). */
  period: number;
  /** Start of the analysed window (epoch ms). */
  windowStart: number;
  /** GetMetricData requests made. */
  metricRequests: number;
  /** Datapoints read, by resolution (grows when desktops are refined). */
  datapoints: Datapoints;
  /** False when DescribeWorkspacesConnectionStatus failed (last connections unknown). */
  connectionsKnown: boolean;
  /**
   * Reads 5-minute data for these desktops of the region (the ones not exact yet) and returns them
   * with exact figures (classification "unknown" where the read failed), in the same order.
   */
  refine(desktops: readonly DesktopUsage[]): Promise<DesktopUsage[]>;
}

/**
 * Lists a region's desktops and classifies each one's use over the last `lookbackDays`. Returns
 * undefined (with the error in `col`) when the desktops cannot be listed; a failed connection-status
 * or metric read degrades to `no_data` / `unknown` entries instead. `onChunk` receives the
 * classified desktops chunk by chunk while the rest is still being read.
 *
 * Within 63 days every desktop is read hourly first: classification and active days are exact at
 * hourly resolution (a connected hour holds a connected 5-minute sample, on the same UTC day), the
 * billable hours are bounded (billableBounds). The desktops `refine` asks for (and that have a
 * connected hour) are then read at 5 minutes, packed into requests that fill one response page,
 * and come back exact. Both reads cover the same window, aligned to the hour.
 */
export async function analyzeRegion(
  ctx: UsageContext,
  region: string,
  lookbackDays: number,
  col: Collection,
  opts: {
    now?: number;
    onChunk?(desktops: DesktopUsage[]): Promise<void>;
    /** Whether a desktop (classified from hourly data, not exact) needs exact figures. */
    refine?(d: DesktopUsage): boolean | Promise<boolean>;
  } = {},
): Promise<RegionUsage | undefined> {
  const now = opts.now ?? Date.now();
  const hourly = metricWindow(lookbackDays * DAY, 3600, now);
  // 5-minute data for the same hour-aligned window, while CloudWatch still keeps it for the window's start.
  const fine: MetricWindow | undefined = usagePeriod(lookbackDays, now) === 300
    ? { ...hourly, period: 300 }
    : undefined;
  const adaptive = fine !== undefined && USAGE_READ.mode === "adaptive";
  const first = adaptive || !fine ? hourly : fine;
  const o = { lookbackDays, windowStart: now - lookbackDays * DAY, threshold: idleThresholdDays(lookbackDays) };
  const statuses = new ConnectionStatuses(ctx, region, col);
  const reads = new FineReads(ctx, region, fine ?? hourly, col);
  const reclassify = async (d: DesktopUsage, series: Series | null, error: AwsErrorInfo | undefined) =>
    classify(d.workspace, region, series, error, await statuses.of(d.workspace.WorkspaceId!), 300, o, true);
  const reader: DesktopMetrics<DesktopUsage> = {
    queries: (w) => [connectedQuery(w)],
    window: first,
    async reduce(w, [series], error) {
      const status = await statuses.of(w.WorkspaceId!);
      return classify(w, region, series, error, status, first.period, o, !adaptive);
    },
  };
  // Adaptive: each chunk's desktops that need exact figures are queued for 5-minute reads while
  // the hourly read goes on; a chunk reaches the caller once its 5-minute reads answered.
  const routes: Promise<unknown>[] = [];
  const finals = new Map<DesktopUsage, Promise<DesktopUsage>>();
  const delivered: Promise<void>[] = [];
  const onChunk = async (items: DesktopUsage[]) => {
    if (!adaptive) return await opts.onChunk?.(items);
    const chunk = items.map((d) => {
      const route = (async () => {
        if (d.exact || !opts.refine || !(await opts.refine(d))) return { d };
        return { d, fine: reads.add(d) };
      })();
      // Only that it decided is kept: the route's 5-minute series must not outlive its reclassification.
      routes.push(route.then(() => undefined));
      const final = route.then(async (r) => {
        if (!r.fine) return r.d;
        const { series, error } = await r.fine;
        return reclassify(r.d, series, error);
      });
      finals.set(d, final);
      return final;
    });
    delivered.push((async () => await opts.onChunk?.(await Promise.all(chunk)))());
  };
  const read = await readDesktops(ctx, region, reader, col, {
    onPage: (page) => statuses.add(page.map((w) => w.WorkspaceId!)),
    onListed: () => statuses.flush(),
    onChunk,
  });
  // Every chunk has decided which desktops to refine: send the last, partial 5-minute request.
  await Promise.all(routes);
  reads.flush();
  await Promise.all(delivered);
  if (!read) return undefined;
  const firstPoints = {
    hourly: first.period === 300 ? 0 : read.points,
    five_minute: first.period === 300 ? read.points : 0,
  };
  const desktops = adaptive ? await Promise.all(read.items.map((d) => finals.get(d)!)) : read.items;
  const usage: RegionUsage = {
    region,
    desktops,
    period: fine ? 300 : 3600,
    windowStart: o.windowStart,
    metricRequests: 0,
    datapoints: firstPoints,
    connectionsKnown: !statuses.failed,
    async refine(list) {
      const todo = list.map((d) => (d.exact ? undefined : reads.add(d)));
      reads.flush();
      const out = await Promise.all(list.map(async (d, i) => {
        if (!todo[i]) return d;
        const { series, error } = await todo[i]!;
        return reclassify(d, series, error);
      }));
      count();
      return out;
    },
  };
  const count = () => {
    usage.datapoints = { ...firstPoints, five_minute: firstPoints.five_minute + reads.points };
    usage.metricRequests = read.requests + reads.requests;
  };
  count();
  return usage;
}

/** The finest UserConnected period for the window: 300 s while CloudWatch keeps 5-minute data for its start, else 3600 s. */
export function usagePeriod(lookbackDays: number, now: number = Date.now()): number {
  return minimumPeriod(metricWindow(lookbackDays * DAY, 3600, now).start, now) <= 300 ? 300 : 3600;
}

/** One desktop's usage figures and class from its connected samples and connection status. */
function classify(
  w: Workspace,
  region: string,
  series: Series | null,
  error: AwsErrorInfo | undefined,
  status: ConnectionStatus | null | undefined,
  period: number,
  o: { lookbackDays: number; windowStart: number; threshold: number },
  final: boolean,
): DesktopUsage {
  const timeout = sessionTimeoutMinutes(w);
  const last = status?.LastKnownUserConnectionTimestamp;
  const base = {
    workspace: w,
    region,
    session_timeout_minutes: timeout,
    last_connection: iso(last),
    connection_state: status?.ConnectionState ?? null,
    hourly_points: period === 3600 ? series?.values.length ?? 0 : 0,
  };
  if (!series) {
    return {
      ...base,
      active_days: null,
      billable_hours: null,
      sessions: null,
      connected_hours: null,
      exact: true,
      billable_range: null,
      classification: "unknown",
      classification_reason: `CloudWatch UserConnected could not be read (${
        error ? `${error.code}: ${error.message}` : "GetMetricData failed"
      }); usage is unknown, not zero.`,
    };
  }
  const periodMs = period * 1000;
  const autoStop = w.WorkspaceProperties?.RunningMode === "AUTO_STOP";
  // Connected and (AutoStop) zero sample times, as views of two buffers the size of the series.
  const n = series.values.length;
  const tsAt = new Float64Array(n);
  const zerosAt = new Float64Array(autoStop ? n : 0);
  let nTs = 0;
  let nZeros = 0;
  for (let k = 0; k < n; k++) {
    if (series.values[k] > 0) tsAt[nTs++] = series.timestamps[k];
    else if (autoStop && series.values[k] === 0) zerosAt[nZeros++] = series.timestamps[k];
  }
  const ts = tsAt.subarray(0, nTs);
  const zeros = zerosAt.subarray(0, nZeros);
  // The window (lookback × 24 h) touches lookback + 1 calendar days; a day count above lookback reads wrong.
  const active_days = Math.min(o.lookbackDays, activeDays(ts));
  let measured: Pick<DesktopUsage, "billable_hours" | "sessions" | "connected_hours" | "exact" | "billable_range">;
  if (final || ts.length === 0) {
    // AutoStop desktops are read whole: their zero samples show how long they ran on after a disconnect.
    const running = autoStop ? { zeros, periodMs } : undefined;
    const sessions = sessionsFrom(ts, periodMs, timeout * MINUTE);
    const billable = billableHours(sessions, timeout * MINUTE, running);
    measured = {
      billable_hours: billable,
      sessions: sessions.length,
      connected_hours: round(sessions.reduce((h, s) => h + (s.end - s.start), 0) / HOUR),
      exact: true,
      billable_range: { min: billable, max: billable },
    };
  } else {
    const bounds = billableBounds(
      autoStop ? { connected: ts, present: series.timestamps, zeros } : { connected: ts },
      timeout * MINUTE,
    );
    measured = {
      billable_hours: null,
      sessions: null,
      connected_hours: null,
      exact: false,
      billable_range: bounds?.hours ?? null,
    };
  }
  const connectedInWindow = last instanceof Date && last.getTime() >= o.windowStart;
  const days = o.lookbackDays;
  let classification: Classification;
  let reason: string;
  if (ts.length > 0) {
    if (active_days <= o.threshold) {
      classification = "idle";
      reason = `Connected on ${active_days} of the last ${days} days (idle: at most ${o.threshold}).`;
    } else {
      classification = "active";
      reason = `Connected on ${active_days} of the last ${days} days.`;
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
  return { ...base, active_days, ...measured, classification, classification_reason: reason };
}

/** Analyses every region (bounded concurrency) and reports progress per region. */
export async function analyzeRegions(
  ctx: ToolContext,
  regions: readonly string[],
  lookback: number,
  col: Collection,
  opts: {
    onChunk?(region: string, desktops: DesktopUsage[]): Promise<void>;
    /** Whether a desktop classified from hourly data needs exact figures (a 5-minute read). */
    refine?(region: string, d: DesktopUsage): boolean | Promise<boolean>;
  } = {},
): Promise<RegionUsage[]> {
  const { onChunk, refine } = opts;
  const results = await forEachRegion(
    ctx,
    regions,
    (region) =>
      analyzeRegion(usageContext(ctx, regions, region), region, lookback, col, {
        onChunk: onChunk ? (desktops) => onChunk(region, desktops) : undefined,
        refine: refine ? (d) => refine(region, d) : undefined,
      }),
    "desktops",
  );
  return results.filter((r): r is RegionUsage => r !== undefined);
}

/** Datapoints read over regions, by resolution. */
export function datapointsOf(usage: readonly RegionUsage[]): Datapoints {
  return {
    hourly: usage.reduce((n, u) => n + u.datapoints.hourly, 0),
    five_minute: usage.reduce((n, u) => n + u.datapoints.five_minute, 0),
  };
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
