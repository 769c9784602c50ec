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
import { getMetricSeries, type MetricQuery, metricWindow, type Series } from "../aws/metrics.ts";
import { chunk, collect, mapLimit } from "../aws/paginate.ts";
import type { Collection } from "./collect.ts";
import { listWorkspaces, type Workspace } from "./listing.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Ids per DescribeWorkspacesConnectionStatus call (the API maximum). */
const CONNECTION_IDS_PER_CALL = 25;
/** DescribeWorkspacesConnectionStatus calls in flight at once per region. */
const CONNECTION_CONCURRENCY = 8;
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

/** Connection status of the given desktops, 25 ids per call, calls side by side. */
async function connectionStatus(
  aws: Aws,
  region: string,
  ids: readonly string[],
  signal: AbortSignal,
): Promise<Map<string, ConnectionStatus>> {
  const lists = await mapLimit(
    chunk(ids, CONNECTION_IDS_PER_CALL),
    CONNECTION_CONCURRENCY,
    async (WorkspaceIds) =>
      (await collect(
        aws,
        "workspaces",
        "DescribeWorkspacesConnectionStatus",
        { WorkspaceIds },
        "WorkspacesConnectionStatus",
        { region, signal },
      )).items,
  );
  const out = new Map<string, ConnectionStatus>();
  for (const list of lists) for (const s of list) if (s.WorkspaceId) out.set(s.WorkspaceId, s);
  return out;
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
 * or metric read degrades to `no_data` / `unknown` entries instead.
 */
export async function analyzeRegion(
  ctx: UsageContext,
  region: string,
  lookbackDays: number,
  col: Collection,
  now: number = Date.now(),
): Promise<RegionUsage | undefined> {
  const listing = await col.attempt(
    { service: "workspaces", operation: "DescribeWorkspaces", region },
    () => listWorkspaces(ctx.aws, region, ctx.signal),
  );
  if (!listing) return undefined;
  const workspaces = listing.workspaces.filter((w) => w.WorkspaceId);
  const ids = workspaces.map((w) => w.WorkspaceId!);
  const window = metricWindow(lookbackDays * DAY, 300, now);
  const windowStart = now - lookbackDays * DAY;
  const [statuses, metrics] = await Promise.all([
    ids.length === 0 ? new Map<string, ConnectionStatus>() : col.attempt(
      { service: "workspaces", operation: "DescribeWorkspacesConnectionStatus", region },
      () => connectionStatus(ctx.aws, region, ids, ctx.signal),
    ),
    ids.length === 0
      ? { series: [] as (Series | null)[], errors: [], requests: 0 }
      : getMetricSeries(ctx.aws, region, ids.map(connectedQuery), window, {
        signal: ctx.signal,
        onBatch: ctx.onBatch,
      }),
  ]);
  col.errors.push(...metrics.errors);
  const metricError = metrics.errors[0];
  const periodMs = window.period * 1000;
  const threshold = idleThresholdDays(lookbackDays);
  const desktops = workspaces.map((w, i): DesktopUsage => {
    const status = statuses?.get(w.WorkspaceId!);
    const timeout = sessionTimeoutMinutes(w);
    const last = status?.LastKnownUserConnectionTimestamp;
    const base = {
      workspace: w,
      region,
      session_timeout_minutes: timeout,
      last_connection: iso(last),
      connection_state: status?.ConnectionState ?? null,
    };
    const series = metrics.series[i];
    if (!series) {
      return {
        ...base,
        active_days: null,
        billable_hours: null,
        sessions: null,
        connected_hours: null,
        classification: "unknown",
        classification_reason: `CloudWatch UserConnected could not be read (${
          metricError ? `${metricError.code}: ${metricError.message}` : "GetMetricData failed"
        }); usage is unknown, not zero.`,
      };
    }
    const ts = series.timestamps.filter((_, k) => series.values[k] > 0);
    const sessions = sessionsFrom(ts, periodMs, timeout * MINUTE);
    const measured = {
      // The window (lookback × 24 h) touches lookback + 1 calendar days; a day count above lookback reads wrong.
      active_days: Math.min(lookbackDays, activeDays(ts)),
      billable_hours: billableHours(sessions, timeout * MINUTE),
      sessions: sessions.length,
      connected_hours: round1(sessions.reduce((h, s) => h + (s.end - s.start), 0) / HOUR),
    };
    const connectedInWindow = last instanceof Date && last.getTime() >= windowStart;
    let classification: Classification;
    let reason: string;
    if (ts.length > 0) {
      if (measured.active_days <= threshold) {
        classification = "idle";
        reason = `Connected on ${measured.active_days} of the last ${lookbackDays} days (idle: at most ${threshold}).`;
      } else {
        classification = "active";
        reason = `Connected on ${measured.active_days} of the last ${lookbackDays} days.`;
      }
    } else if (connectedInWindow) {
      classification = "no_data";
      reason = `No connected UserConnected samples in the last ${lookbackDays} days, but WorkSpaces reports a ` +
        `connection at ${iso(last)}: the metrics are missing, so the desktop is not called unused.`;
    } else if (!statuses) {
      classification = "no_data";
      reason = `No connected UserConnected samples in the last ${lookbackDays} days, and the last known connection ` +
        "could not be read (DescribeWorkspacesConnectionStatus failed), so the desktop is not called unused.";
    } else {
      classification = "unused";
      reason = `No user connection in the last ${lookbackDays} days: no connected UserConnected samples and ` +
        (last ? `the last known connection was ${iso(last)}.` : "no known connection at all.");
    }
    return { ...base, ...measured, classification, classification_reason: reason };
  });
  return {
    region,
    desktops,
    period: window.period,
    windowStart,
    metricRequests: metrics.requests,
    connectionsKnown: statuses !== undefined,
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
