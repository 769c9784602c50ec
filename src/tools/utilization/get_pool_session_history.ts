/** get_pool_session_history: a WorkSpaces Pool's live sessions and its session capacity over time. */
import { z } from "zod";
import { collect } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { plural } from "../_lib/format.ts";
import { IDS } from "../_lib/patterns.ts";
import { RegionInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef, ToolFailure } from "../registry.ts";
import { MetricCatalog, poolDimensions } from "../../aws/metric_catalog.ts";
import { HistoryFields, type HistorySpec, readHistory } from "./_history.ts";
import { lookbackDays, PeriodHours } from "./_schemas.ts";

const POOL_METRICS: readonly HistorySpec[] = [
  { metric: "ActiveUserSessionCapacity", unit: "count" },
  { metric: "ActualUserSessionCapacity", unit: "count" },
  { metric: "AvailableUserSessionCapacity", unit: "count" },
  { metric: "DesiredUserSessionCapacity", unit: "count" },
  { metric: "PendingUserSessionCapacity", unit: "count" },
  { metric: "UserSessionsCapacityUtilization", unit: "%" },
];

const PoolHistoryInput = z.object({
  pool_id: z.string().regex(IDS.pool, "must be a WorkSpaces Pool id such as wspool-a1b2c3d4e").describe(
    "The pool (wspool-…)",
  ),
  region: RegionInput,
  lookback_days: lookbackDays(7),
  period_hours: PeriodHours,
});

const Capacity = z.object({
  desired: z.number().int().nullable(),
  actual: z.number().int().nullable(),
  active: z.number().int().nullable(),
  available: z.number().int().nullable(),
});

const PoolHistoryOutput = z.object({
  target_type: z.literal("pool"),
  target_id: z.string(),
  pool_name: z.string().nullable(),
  region: z.string(),
  state: z.string().nullable(),
  capacity: Capacity.describe("CapacityStatus right now"),
  idle_capacity: z.boolean().describe("Sessions were provisioned (Actual peak > 0) but none was used (Active peak 0)"),
  ...HistoryFields,
});

/** A pool's live sessions and its session capacity over time, with an idle-capacity flag. */
export const getPoolSessionHistory: ToolDef<typeof PoolHistoryInput, typeof PoolHistoryOutput> = {
  name: "get_pool_session_history",
  title: "WorkSpaces Pool session history",
  toolset: "utilization",
  tier: 0,
  actions: [
    "cloudwatch:GetMetricData",
    "cloudwatch:ListMetrics",
    "workspaces:DescribeWorkspacesPoolSessions",
    "workspaces:DescribeWorkspacesPools",
  ],
  annotations: READ_ONLY,
  description: "Who is on this Amazon WorkSpaces Pool now, and how was its capacity used? Live sessions from " +
    "DescribeWorkspacesPoolSessions, plus Active / Actual / Available / Desired / Pending user-session capacity and " +
    "utilization per period over lookback_days (one batched CloudWatch read). Flags idle capacity: sessions " +
    "provisioned that nobody used.",
  input: PoolHistoryInput,
  output: PoolHistoryOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const id = args.pool_id;
    const col = new Collection();
    const o = { region, signal: ctx.signal };
    // AWS's pages name the Pools dimension both "WorkSpaces pool ID" and "Pool": read the one ListMetrics shows.
    const catalog = new MetricCatalog(ctx.aws, ctx.signal);
    const dimension = (await poolDimensions(catalog, region, [id])).get(id)!;
    col.errors.push(...catalog.errors);
    const [pools, sessions, history] = await Promise.all([
      col.attempt(
        { service: "workspaces", operation: "DescribeWorkspacesPools", region },
        async () =>
          (await collect(ctx.aws, "workspaces", "DescribeWorkspacesPools", { PoolIds: [id] }, "WorkspacesPools", o))
            .items,
      ),
      col.attempt(
        { service: "workspaces", operation: "DescribeWorkspacesPoolSessions", region },
        async () =>
          (await collect(ctx.aws, "workspaces", "DescribeWorkspacesPoolSessions", { PoolId: id }, "Sessions", o)).items,
      ),
      readHistory(
        ctx,
        region,
        "AWS/WorkSpaces",
        { [dimension]: id },
        POOL_METRICS,
        args.lookback_days,
        args.period_hours,
        col,
      ),
    ]);
    const notFound = col.errors.some((e) => e.code === "NotFound" && e.operation === "DescribeWorkspacesPoolSessions");
    if ((pools && pools.length === 0) || (!pools && notFound)) {
      throw new ToolFailure(
        "NotFound",
        `No WorkSpaces Pool ${id} in ${region}.`,
        "Check the id and the region; get_euc_inventory_summary lists the pools that exist.",
      );
    }
    if (history.failed) col.failIfNothing("pool session history");
    const pool = pools?.[0];
    const c = pool?.CapacityStatus;
    const m = history.metrics;
    // Idle only from a published active series that stayed at 0 while sessions ran: silence is not idleness.
    const idle = m.ActiveUserSessionCapacity.peak === 0 && (m.ActualUserSessionCapacity.peak ?? 0) > 0;
    const live = sessions?.map((s) => ({
      session_id: s.SessionId ?? null,
      user: s.UserId ?? null,
      state: null,
      connection_state: s.ConnectionState ?? null,
      start_time: s.StartTime?.toISOString() ?? null,
    }));
    const parts = [
      live ? `${plural(live.length, "live session")} right now` : "live sessions unknown (see errors)",
    ];
    if (c) {
      parts.push(
        `capacity now: ${c.ActiveUserSessions ?? 0} active of ${c.ActualUserSessions ?? 0} running, ` +
          `${c.DesiredUserSessions ?? 0} desired`,
      );
    }
    if (history.failed) parts.push("CloudWatch could not be read (see errors)");
    else if (m.ActiveUserSessionCapacity.peak === null && m.ActualUserSessionCapacity.peak === null) {
      parts.push(`no capacity metrics in the last ${args.lookback_days} days`);
    } else {
      parts.push(
        `peak ${m.ActiveUserSessionCapacity.peak ?? 0} active of ${m.ActualUserSessionCapacity.peak ?? 0} ` +
          `running sessions, average utilization ${m.UserSessionsCapacityUtilization.average ?? "n/a"}%`,
      );
    }
    if (idle) {
      parts.push(
        "idle pool capacity: sessions were running but none was used — lower the desired capacity or add a schedule",
      );
    }
    const summary = parts.join("; ") + ".";
    return {
      summary: `Pool ${id}: ${summary}`,
      data: {
        target_type: "pool",
        target_id: id,
        pool_name: pool?.PoolName ?? null,
        region,
        state: pool?.State ?? null,
        capacity: {
          desired: c?.DesiredUserSessions ?? null,
          actual: c?.ActualUserSessions ?? null,
          active: c?.ActiveUserSessions ?? null,
          available: c?.AvailableUserSessions ?? null,
        },
        idle_capacity: idle,
        lookback_days: args.lookback_days,
        period_hours: args.period_hours,
        active_session_count: live ? live.length : null,
        active_sessions: live ?? [],
        metrics: m,
        summary,
        errors: col.errors,
        notes: [
          "Live sessions come from DescribeWorkspacesPoolSessions (real time); CloudWatch is history only.",
          `Pool metrics read with the dimension "${dimension}" (found with ListMetrics).`,
        ],
      },
    };
  },
};
