/** analyze_workspace_utilization: billable hours, active days, last connection and a usage class per desktop. */
import { z } from "zod";
import { Collection } from "../_lib/collection.ts";
import { plural } from "../_lib/format.ts";
import { checkToken, pageOf } from "../_lib/paging.ts";
import { Errors, Notes, RefreshInput, RegionInput, RegionsInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { ClassificationEnum, Datapoints, Limit, lookbackDays, NextToken, PageFields } from "./_schemas.ts";
import { idleThresholdDays } from "./_sessions.ts";
import {
  analyzeRegions,
  type Classification,
  CLASSIFICATION_ORDER,
  datapointsOf,
  type DesktopUsage,
  usageNotes,
  workspaceFacts,
} from "./_usage.ts";

const Counts = z.object({
  unused: z.number().int(),
  idle: z.number().int(),
  active: z.number().int(),
  no_data: z.number().int(),
  unknown: z.number().int(),
}).describe("Desktops per classification (every desktop analysed, whatever the page)");

function countsOf(desktops: readonly DesktopUsage[]): Record<Classification, number> {
  const counts: Record<Classification, number> = { unused: 0, idle: 0, active: 0, no_data: 0, unknown: 0 };
  for (const d of desktops) counts[d.classification]++;
  return counts;
}

const UtilizationInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  refresh: RefreshInput,
  lookback_days: lookbackDays(14),
  classification: z.array(ClassificationEnum).min(1).max(5).optional().describe(
    'List only desktops in these classes (e.g. ["unused", "idle"]); counts still cover every desktop',
  ),
  limit: Limit,
  next_token: NextToken,
});

const UsageItem = z.object({
  workspace_id: z.string(),
  region: z.string(),
  user_name: z.string().nullable(),
  state: z.string().nullable().describe("Power/lifecycle state now (AVAILABLE = running)"),
  running_mode: z.string().nullable(),
  auto_stop_timeout_minutes: z.number().int().nullable(),
  lookback_days: z.number().int(),
  active_days: z.number().int().nullable().describe("Distinct UTC days with a connected sample; null when unknown"),
  billable_hours: z.number().nullable().describe(
    "Hours AutoStop bills for the connected sessions in the window (each session rounded up to whole hours plus the AutoStop timeout); null when unknown",
  ),
  sessions: z.number().int().nullable().describe("Connected sessions in the window"),
  connected_hours: z.number().nullable().describe("Hours with a user connected (sum of session spans)"),
  last_connection: z.string().nullable().describe("LastKnownUserConnectionTimestamp (ISO 8601), any age"),
  connection_state: z.string().nullable().describe("CONNECTED, DISCONNECTED or UNKNOWN right now"),
  classification: ClassificationEnum,
  classification_reason: z.string().describe("Why: the evidence behind the class"),
  compute_type: z.string().nullable(),
  operating_system: z.string().nullable(),
  root_volume_gib: z.number().nullable(),
  user_volume_gib: z.number().nullable(),
});
type UsageItemData = z.infer<typeof UsageItem>;

function usageItem(d: DesktopUsage, lookback: number): UsageItemData {
  const w = d.workspace;
  const p = w.WorkspaceProperties ?? {};
  return {
    workspace_id: w.WorkspaceId!,
    region: d.region,
    user_name: w.UserName ?? null,
    state: w.State ?? null,
    running_mode: p.RunningMode ?? null,
    auto_stop_timeout_minutes: p.RunningModeAutoStopTimeoutInMinutes ?? null,
    lookback_days: lookback,
    active_days: d.active_days,
    billable_hours: d.billable_hours,
    sessions: d.sessions,
    connected_hours: d.connected_hours,
    last_connection: d.last_connection,
    connection_state: d.connection_state,
    classification: d.classification,
    classification_reason: d.classification_reason,
    ...workspaceFacts(w),
  };
}

const UtilizationOutput = z.object({
  region: z.string().describe("The region, or a comma-separated list when several were analysed"),
  regions: z.array(z.string()),
  lookback_days: z.number().int(),
  idle_threshold_days: z.number().int().describe("Used on at most this many days = idle"),
  metric_period_seconds: z.number().int().describe("UserConnected resolution used (300, or 3600 beyond 63 days)"),
  total: z.number().int().describe("Desktops analysed"),
  counts: Counts,
  total_billable_hours: z.number().nullable().describe(
    "Sum of billable_hours over the desktops with data; null when only its range is known (most desktops read hourly)",
  ),
  total_billable_hours_range: z.object({ min: z.number(), max: z.number() }).describe(
    "The sum lies in [min, max]: exact for the desktops read at 5 minutes, bounded from hourly data for the others",
  ),
  datapoints: Datapoints,
  workspaces: z.array(UsageItem).describe("Sorted unused, idle, no_data, unknown, active"),
  ...PageFields,
  errors: Errors,
  notes: Notes,
});

/** Billable hours, active days, last connection and a usage class for every desktop. */
export const analyzeWorkspaceUtilization: ToolDef<typeof UtilizationInput, typeof UtilizationOutput> = {
  name: "analyze_workspace_utilization",
  title: "Analyze WorkSpaces utilization",
  toolset: "utilization",
  tier: 0,
  actions: [
    "cloudwatch:GetMetricData",
    "workspaces:DescribeWorkspaceBundles",
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspaces",
    "workspaces:DescribeWorkspacesConnectionStatus",
  ],
  annotations: READ_ONLY,
  description: "How much is each WorkSpaces Personal desktop really used? For every desktop over lookback_days: " +
    "billable_hours (AutoStop-billed hours from UserConnected sessions and the AutoStop timeout), " +
    "active_days, sessions, last_connection and a classification — unused (no connection), idle (used on " +
    "at most max(1, lookback_days/7) days), active, no_data (metrics missing but a connection is known: NOT unused) " +
    "or unknown (metrics unreadable). About connections, not power state: STOPPED is not unused. " +
    "Batched reads: hourly for all, 5-minute for the listed rows; fan out with regions; filter with classification.",
  input: UtilizationInput,
  output: UtilizationOutput,
  async run(ctx, args) {
    checkToken("analyze_workspace_utilization", args.next_token);
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const usage = await analyzeRegions(ctx, regions, args.lookback_days, col);
    col.failIfNothing("desktops");
    const all = usage.flatMap((u) => u.desktops);
    const counts = countsOf(all);
    const wanted = args.classification ? new Set<string>(args.classification) : undefined;
    const rank = (c: Classification) => CLASSIFICATION_ORDER.indexOf(c);
    const source = new Map<UsageItemData, DesktopUsage>();
    const listed = all.filter((d) => !wanted || wanted.has(d.classification)).map((d) => {
      const item = usageItem(d, args.lookback_days);
      source.set(item, d);
      return item;
    });
    // A total order (class, region, id): pages are exact whatever order the regions and metric chunks answered in.
    const page = pageOf(
      "analyze_workspace_utilization",
      listed,
      args.limit,
      args.next_token,
      undefined,
      (u) => [rank(u.classification), u.region, u.workspace_id],
    );
    // The listed desktops are read at 5 minutes (exact billable hours, sessions, connected hours); the rest stay
    // hourly, their billable hours bounded.
    const refined = new Map<DesktopUsage, DesktopUsage>();
    await Promise.all(usage.map(async (u) => {
      const mine = page.items.map((i) => source.get(i)!).filter((d) => d.region === u.region && !d.exact);
      const out = await u.refine(mine);
      mine.forEach((d, i) => refined.set(d, out[i]));
    }));
    page.items = page.items.map((i) => {
      const d = source.get(i)!;
      return refined.has(d) ? usageItem(refined.get(d)!, args.lookback_days) : i;
    });
    const finalOf = (d: DesktopUsage) => refined.get(d) ?? d;
    const range = { min: 0, max: 0 };
    for (const d of all.map(finalOf)) {
      range.min += d.billable_range?.min ?? 0;
      range.max += d.billable_range?.max ?? 0;
    }
    const total_billable_hours = range.min === range.max ? range.min : null;
    const notes = usageNotes(usage, args.lookback_days);
    if (counts.no_data) {
      notes.push(
        `${
          plural(counts.no_data, "desktop")
        } had no connected samples but a known connection in the window (or an unreadable connection status): listed as no_data, not unused.`,
      );
    }
    if (counts.unknown) {
      notes.push(`${plural(counts.unknown, "desktop")} could not be classified: CloudWatch failed (see errors).`);
    }
    if (total_billable_hours === null) {
      notes.push(
        "Every desktop is read hourly first (classification and active days are exact at that resolution) and the " +
          "listed ones again at 5 minutes, so their billable hours, sessions and connected hours are exact; " +
          "total_billable_hours_range bounds the total over the desktops read hourly only.",
      );
    }
    if (page.truncated) notes.push("Pass next_token (with the same arguments) for the next page.");
    const period = Math.max(300, ...usage.map((u) => u.period));
    return {
      summary:
        `Utilization of ${plural(all.length, "desktop")} in ${regions.join(", ")} over ${args.lookback_days} days: ` +
        `${counts.unused} unused, ${counts.idle} idle, ${counts.active} active, ${counts.no_data} no data, ` +
        `${counts.unknown} unknown; ${total_billable_hours ?? `${range.min}–${range.max}`} billable hours${
          col.errors.length ? ` (${plural(col.errors.length, "error")})` : ""
        }.`,
      data: {
        region: regions.join(","),
        regions,
        lookback_days: args.lookback_days,
        idle_threshold_days: idleThresholdDays(args.lookback_days),
        metric_period_seconds: period,
        total: all.length,
        counts,
        total_billable_hours,
        total_billable_hours_range: range,
        datapoints: datapointsOf(usage),
        workspaces: page.items,
        total_count: page.total_count,
        truncated: page.truncated,
        next_token: page.next_token,
        errors: col.errors,
        notes,
      },
    };
  },
};
