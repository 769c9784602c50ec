/** get_workspace_connection_history: a desktop's connections over time and its live connection state. */
import { z } from "zod";
import { collect } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { connectionMetricsUnpublished, PCOIP_ONLY_METRICS } from "../_lib/published.ts";
import { RegionInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef, ToolFailure } from "../registry.ts";
import { HistoryFields, type HistorySpec, readHistory } from "./_history.ts";
import { lookbackDays, PeriodHours, WorkspaceId } from "./_schemas.ts";

const CONNECTION_METRICS: readonly HistorySpec[] = [
  { metric: "UserConnected", unit: "count" },
  { metric: "ConnectionAttempt", unit: "count", sum: true },
  { metric: "ConnectionSuccess", unit: "count", sum: true },
  { metric: "ConnectionFailure", unit: "count", sum: true },
  { metric: "SessionLaunchTime", unit: "s" },
  { metric: "InSessionLatency", unit: "ms" },
];

const ConnectionHistoryInput = z.object({
  workspace_id: WorkspaceId,
  region: RegionInput,
  lookback_days: lookbackDays(7),
  period_hours: PeriodHours,
});
const ConnectionHistoryOutput = z.object({
  target_type: z.literal("workspace"),
  target_id: z.string(),
  region: z.string(),
  state: z.string().nullable(),
  running_mode: z.string().nullable(),
  connection_state: z.string().nullable(),
  last_connection: z.string().nullable(),
  connected_periods: z.number().int().describe("Periods whose UserConnected peak is ≥ 1"),
  total_periods: z.number().int(),
  connection_failures: z.number().nullable().describe(
    "Failed connection attempts in the window (Sum); null when unreadable or not published (DCV/WSP desktop)",
  ),
  not_published: z.array(z.object({ metric: z.string(), reason: z.string() })).describe(
    "Metrics AWS does not publish for this desktop (left out of metrics rather than shown as zero)",
  ),
  ...HistoryFields,
});

/** A desktop's connections over time: connected periods, attempts, failures, launch time and latency. */
export const getWorkspaceConnectionHistory: ToolDef<typeof ConnectionHistoryInput, typeof ConnectionHistoryOutput> = {
  name: "get_workspace_connection_history",
  title: "WorkSpaces desktop connection history",
  toolset: "utilization",
  tier: 0,
  actions: [
    "cloudwatch:GetMetricData",
    "workspaces:DescribeWorkspaces",
    "workspaces:DescribeWorkspacesConnectionStatus",
  ],
  annotations: READ_ONLY,
  description: "When did users connect to this WorkSpaces Personal desktop, and did connections fail? Per period " +
    "(period_hours, default daily) over lookback_days: UserConnected, ConnectionAttempt / Success / Failure, " +
    "SessionLaunchTime and InSessionLatency (average, peak, totals), plus the live connection state and last " +
    "known connection. One batched CloudWatch read.",
  input: ConnectionHistoryInput,
  output: ConnectionHistoryOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const id = args.workspace_id;
    const col = new Collection();
    const o = { region, signal: ctx.signal };
    const [described, statuses, history] = await Promise.all([
      col.attempt(
        { service: "workspaces", operation: "DescribeWorkspaces", region },
        async () =>
          (await collect(ctx.aws, "workspaces", "DescribeWorkspaces", { WorkspaceIds: [id] }, "Workspaces", o)).items,
      ),
      col.attempt(
        { service: "workspaces", operation: "DescribeWorkspacesConnectionStatus", region },
        async () =>
          (await collect(
            ctx.aws,
            "workspaces",
            "DescribeWorkspacesConnectionStatus",
            { WorkspaceIds: [id] },
            "WorkspacesConnectionStatus",
            o,
          )).items,
      ),
      readHistory(
        ctx,
        region,
        "AWS/WorkSpaces",
        { WorkspaceId: id },
        CONNECTION_METRICS,
        args.lookback_days,
        args.period_hours,
        col,
      ),
    ]);
    if (described && described.length === 0) {
      throw new ToolFailure(
        "NotFound",
        `No desktop ${id} in ${region}.`,
        "Check the id and the region (desktop ids are per region); get_euc_inventory_summary lists what exists.",
      );
    }
    if (history.failed) col.failIfNothing("connection history");
    const w = described?.[0];
    const status = statuses?.[0];
    const m = history.metrics;
    // ConnectionAttempt/Success/Failure exist for PCoIP desktops only: on DCV (WSP) they are absent, not zero.
    const unpublished = connectionMetricsUnpublished(w?.WorkspaceProperties?.Protocols);
    const notPublished = unpublished ? PCOIP_ONLY_METRICS.map((metric) => ({ metric, reason: unpublished })) : [];
    for (const n of notPublished) delete m[n.metric];
    const connected = m.UserConnected.series.filter((p) => (p.peak ?? 0) >= 1).length;
    const failures = unpublished ? null : m.ConnectionFailure.total;
    const state = status?.ConnectionState ?? null;
    const last = status?.LastKnownUserConnectionTimestamp?.toISOString() ?? null;
    const parts: string[] = [];
    if (history.failed) parts.push("CloudWatch could not be read (see errors)");
    else if (connected === 0) {
      parts.push(`No user connections in the last ${args.lookback_days} days (unused in this window)`);
    } else {
      parts.push(
        `Connected in ${connected} of ${history.periods} periods of ${args.period_hours} h over ${args.lookback_days} days`,
      );
    }
    if (unpublished) parts.push(`connection attempt/failure metrics are ${unpublished}`);
    else if ((failures ?? 0) > 0 || (m.ConnectionFailure.peak ?? 0) > 0) {
      parts.push(
        `${
          failures ?? "some"
        } failed connection attempts: check connectivity (client network, directory, IP access groups)`,
      );
    }
    parts.push(
      state === "CONNECTED" ? "a user is connected right now" : `live connection state ${state ?? "unknown"}` +
        (last ? `, last connection ${last}` : ""),
    );
    return {
      summary: `${id}: ${parts.join("; ")}.`,
      data: {
        target_type: "workspace",
        target_id: id,
        region,
        state: w?.State ?? null,
        running_mode: w?.WorkspaceProperties?.RunningMode ?? null,
        connection_state: state,
        last_connection: last,
        connected_periods: connected,
        total_periods: history.periods,
        connection_failures: failures,
        not_published: notPublished,
        lookback_days: args.lookback_days,
        period_hours: args.period_hours,
        active_session_count: status ? (state === "CONNECTED" ? 1 : 0) : null,
        active_sessions: state === "CONNECTED"
          ? [{
            session_id: null,
            user: w?.UserName ?? null,
            state: "ACTIVE",
            connection_state: state,
            start_time: last,
          }]
          : [],
        metrics: m,
        summary: parts.join("; ") + ".",
        errors: col.errors,
        notes: [
          "CloudWatch is history only; the live state comes from DescribeWorkspacesConnectionStatus.",
          "A desktop with no connected periods had no user sessions; that is about use, not power state.",
        ],
      },
    };
  },
};
