/** get_application_fleet_usage: a WorkSpaces Applications fleet's live sessions and its capacity over time. */
import { z } from "zod";
import { collect, mapLimit } from "../../aws/paginate.ts";
import { PRODUCT } from "../../names.ts";
import { Collection } from "../_lib/collection.ts";
import { FLEET_METRICS, fleetKind } from "../_lib/fleet_metrics.ts";
import { plural } from "../_lib/format.ts";
import { IDS } from "../_lib/patterns.ts";
import { RegionInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef, ToolFailure } from "../registry.ts";
import { HistoryFields, readHistory } from "./_history.ts";
import { lookbackDays, PeriodHours } from "./_schemas.ts";

/** DescribeSessions calls (one per associated stack) in flight at once. */
const SESSION_CONCURRENCY = 4;

const FleetUsageInput = z.object({
  fleet_name: z.string().regex(IDS.fleet, "must be a WorkSpaces Applications fleet name").describe(
    "The WorkSpaces Applications (AppStream 2.0) fleet name",
  ),
  region: RegionInput,
  lookback_days: lookbackDays(7),
  period_hours: PeriodHours,
});

const FleetUsageOutput = z.object({
  fleet_name: z.string(),
  region: z.string(),
  state: z.string().nullable(),
  fleet_type: z.string().nullable(),
  fleet_kind: z.enum(["single_session", "multi_session", "elastic"]).describe(
    "Which metrics the fleet publishes: instance capacity (single-session), user-session capacity " +
      "(MaxSessionsPerInstance > 1) or only InUseCapacity and InsufficientCapacityError (Elastic)",
  ),
  capacity: z.object({
    desired: z.number().int().nullable(),
    running: z.number().int().nullable(),
    in_use: z.number().int().nullable(),
    available: z.number().int().nullable(),
  }).describe("ComputeCapacityStatus right now"),
  stacks: z.array(z.string()).describe("Associated stacks (live sessions are listed through them)"),
  idle_capacity: z.boolean().describe(
    "Capacity ran (Running/Actual, or ActualUserSessionCapacity for multi-session) but none was in use " +
      "(InUseCapacity, or ActiveUserSessionCapacity, peak 0); never true from missing metrics or for Elastic fleets",
  ),
  ...HistoryFields,
});

/** A fleet's live sessions (through its stacks) and its capacity over time, with an idle-capacity flag. */
export const getApplicationFleetUsage: ToolDef<typeof FleetUsageInput, typeof FleetUsageOutput> = {
  name: "get_application_fleet_usage",
  title: "WorkSpaces Applications fleet usage",
  toolset: "utilization",
  tier: 0,
  actions: [
    "appstream:DescribeFleets",
    "appstream:DescribeSessions",
    "appstream:ListAssociatedStacks",
    "cloudwatch:GetMetricData",
  ],
  annotations: READ_ONLY,
  description: "Who is using this Amazon WorkSpaces Applications (formerly AppStream 2.0) fleet now, and how was " +
    "its capacity used? Live sessions through the fleet's associated stacks (DescribeSessions), plus InUse, " +
    "utilization and Actual / Available / Running / Desired / Pending capacity per period over lookback_days (one " +
    "batched CloudWatch read; multi-session fleets: the user-session capacity metrics; Elastic fleets: " +
    "InUseCapacity and InsufficientCapacityError, all they publish). Flags idle running capacity.",
  input: FleetUsageInput,
  output: FleetUsageOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const name = args.fleet_name;
    const col = new Collection();
    const o = { region, signal: ctx.signal };
    const liveSessions = async () => {
      const stacks = await col.attempt(
        { service: "appstream", operation: "ListAssociatedStacks", region },
        async () =>
          (await collect(ctx.aws, "appstream", "ListAssociatedStacks", { FleetName: name }, "Names", o)).items,
      );
      if (!stacks) return { stacks: [] as string[], sessions: undefined };
      const per = await mapLimit(stacks, SESSION_CONCURRENCY, (StackName) =>
        col.attempt(
          { service: "appstream", operation: "DescribeSessions", region },
          async () =>
            (await collect(ctx.aws, "appstream", "DescribeSessions", { StackName, FleetName: name }, "Sessions", o))
              .items,
        ));
      const failed = per.some((s) => s === undefined);
      return { stacks, sessions: failed ? undefined : per.flatMap((s) => s ?? []) };
    };
    const sessionsRead = liveSessions();
    // The fleet's kind decides which metrics exist, so it is read before CloudWatch.
    const fleets = await col.attempt(
      { service: "appstream", operation: "DescribeFleets", region },
      async () => (await collect(ctx.aws, "appstream", "DescribeFleets", { Names: [name] }, "Fleets", o)).items,
    );
    const kind = fleetKind(fleets?.[0]);
    const spec = FLEET_METRICS[kind];
    const [live, history] = await Promise.all([
      sessionsRead,
      readHistory(ctx, region, "AWS/AppStream", { Fleet: name }, spec.all, args.lookback_days, args.period_hours, col),
    ]);
    const missing = col.errors.some((e) => e.code === "NotFound" && e.operation === "DescribeFleets");
    if (missing || (fleets && fleets.length === 0)) {
      throw new ToolFailure(
        "NotFound",
        `No WorkSpaces Applications fleet ${name} in ${region}.`,
        "Check the name and the region; get_euc_inventory_summary lists the fleets that exist.",
      );
    }
    if (history.failed) col.failIfNothing("fleet usage");
    const fleet = fleets?.[0];
    const c = fleet?.ComputeCapacityStatus;
    const m = history.metrics;
    const inUse = m[spec.inUse];
    const ran = kind === "single_session"
      ? Math.max(m.RunningCapacity.peak ?? 0, m.ActualCapacity.peak ?? 0)
      : spec.capacity
      ? m[spec.capacity].peak ?? 0
      : 0;
    // Idle only from a published in-use series that stayed at 0 while capacity ran: silence is not idleness.
    const idle = inUse.peak === 0 && ran > 0;
    const sessions = live.sessions?.map((s) => ({
      session_id: s.Id ?? null,
      user: s.UserId ?? null,
      state: s.State ?? null,
      connection_state: s.ConnectionState ?? null,
      start_time: s.StartTime?.toISOString() ?? null,
      stack_name: s.StackName ?? null,
    }));
    const parts = [
      sessions
        ? `${plural(sessions.length, "live session")} right now across ${plural(live.stacks.length, "stack")}`
        : "live sessions unknown (see errors)",
    ];
    if (c) {
      parts.push(`capacity now: ${c.InUse ?? 0} in use of ${c.Running ?? 0} running, ${c.Desired ?? 0} desired`);
    }
    if (history.failed) parts.push("CloudWatch could not be read (see errors)");
    else if (inUse.peak === null && (spec.capacity === null || m[spec.capacity].peak === null)) {
      parts.push(
        `no ${spec.inUse}${spec.capacity ? ` or ${spec.capacity}` : ""} data in the last ${args.lookback_days} days ` +
          `(not published for this fleet in the window: usage unknown, not idle)`,
      );
    } else if (kind === "multi_session") {
      parts.push(
        `peak ${inUse.peak ?? 0} active of ${
          m.ActualUserSessionCapacity.peak ?? 0
        } user sessions (multi-session fleet)`,
      );
    } else if (kind === "elastic") {
      parts.push(`peak ${inUse.peak ?? 0} streaming instances in use (Elastic fleet: no provisioned capacity)`);
    } else {
      parts.push(
        `peak ${inUse.peak ?? 0} in use of ${m.RunningCapacity.peak ?? m.ActualCapacity.peak ?? 0} ` +
          `running, average utilization ${m.CapacityUtilization.average ?? "n/a"}%`,
      );
    }
    if (idle) {
      parts.push(
        kind === "multi_session"
          ? "idle user-session capacity: sessions were available but none was active — lower the desired capacity"
          : "idle running capacity: instances ran but none was in use — lower the desired capacity or scale to zero off-hours",
      );
    }
    if (fleet?.State === "STOPPED") parts.push("the fleet is STOPPED");
    const summary = parts.join("; ") + ".";
    return {
      summary: `${PRODUCT.applications} fleet ${name}: ${summary}`,
      data: {
        fleet_name: name,
        region,
        state: fleet?.State ?? null,
        fleet_type: fleet?.FleetType ?? null,
        fleet_kind: kind,
        capacity: {
          desired: c?.Desired ?? null,
          running: c?.Running ?? null,
          in_use: c?.InUse ?? null,
          available: c?.Available ?? null,
        },
        stacks: live.stacks,
        idle_capacity: idle,
        lookback_days: args.lookback_days,
        period_hours: args.period_hours,
        active_session_count: sessions ? sessions.length : null,
        active_sessions: sessions ?? [],
        metrics: m,
        summary,
        errors: col.errors,
        notes: [
          "Live sessions come from DescribeSessions through each associated stack (real time); CloudWatch is history only.",
          "On-Demand fleets bill running instances by the hour (stopped instances at a small fee); Always-On fleets bill every running instance.",
        ],
      },
    };
  },
};
