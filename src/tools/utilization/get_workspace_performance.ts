/** get_workspace_performance: CPU, memory, disk, latency, network and more for up to 25 desktops. */
import { z } from "zod";
import { getMetricSeries, type MetricQuery, metricWindow } from "../../aws/metrics.ts";
import { collect } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { HOUR, plural } from "../_lib/format.ts";
import { Errors, Notes, RegionInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef, ToolFailure } from "../registry.ts";
import { MetricSummary, metricSummary } from "./_history.ts";
import { WorkspaceId } from "./_schemas.ts";

/** The AWS/WorkSpaces per-desktop metrics the performance view reads, with their units. */
const PERFORMANCE_METRICS: readonly [string, string][] = [
  ["CPUUsage", "%"],
  ["MemoryUsage", "%"],
  ["GPUUsage", "%"],
  ["FramesPerSecond", "count"],
  ["RootVolumeDiskUsage", "%"],
  ["UserVolumeDiskUsage", "%"],
  ["InSessionLatency", "ms"],
  ["UpTime", "s"],
  ["Bandwidth", "bytes"],
  ["BandwidthInbound", "bytes"],
  ["CPUQueueLength", "count"],
  ["MemoryPageHardFaults", "count"],
  ["RootVolumeDiskIOQueueLength", "count"],
  ["UserVolumeDiskIOQueueLength", "count"],
  ["TCPRetransmissionRate", "%"],
  ["UDPPacketLossRate", "%"],
];

const PerformanceInput = z.object({
  workspace_ids: z.array(WorkspaceId).min(1).max(25).describe("1–25 desktop ids (duplicates are ignored)"),
  region: RegionInput,
  lookback_hours: z.number().int().min(1).max(168).default(3).describe("Hours of history, 1–168 (default 3)"),
});

const PerformanceOutput = z.object({
  region: z.string(),
  lookback_hours: z.number().int(),
  workspaces: z.array(z.object({
    workspace_id: z.string(),
    state: z.string().nullable().describe("Power/lifecycle state now, when DescribeWorkspaces answered"),
    running_mode: z.string().nullable(),
    lookback_hours: z.number().int(),
    metrics: z.record(z.string(), MetricSummary).describe("Per metric: latest, average and peak over 5-minute data"),
    datapoints: z.number().int().describe("5-minute datapoints received for this desktop"),
    note: z.string().nullable(),
  })),
  not_found: z.array(z.string()).describe("Ids DescribeWorkspaces does not know in this region"),
  errors: Errors,
  notes: Notes,
});

/** CPU, memory, disk, latency, network and more for up to 25 desktops, in one batched read. */
export const getWorkspacePerformance: ToolDef<typeof PerformanceInput, typeof PerformanceOutput> = {
  name: "get_workspace_performance",
  title: "WorkSpaces desktop performance",
  toolset: "utilization",
  tier: 0,
  actions: ["cloudwatch:GetMetricData", "workspaces:DescribeWorkspaces"],
  annotations: READ_ONLY,
  description: "How are these desktops performing right now? For 1–25 WorkSpaces Personal desktops over the last " +
    "lookback_hours (default 3): latest / average / peak of CPUUsage, MemoryUsage, GPUUsage, FramesPerSecond, disk " +
    "usage and IO queues, InSessionLatency, UpTime, Bandwidth, CPU queue, hard page faults, TCP retransmission and " +
    "UDP packet loss (5-minute data, all desktops in one batched CloudWatch read). No datapoints usually means the " +
    "desktop was stopped.",
  input: PerformanceInput,
  output: PerformanceOutput,
  async run(ctx, args) {
    const ids = [...new Set(args.workspace_ids)];
    const [region] = await ctx.regions(args);
    const col = new Collection();
    const queries: MetricQuery[] = ids.flatMap((id) =>
      PERFORMANCE_METRICS.flatMap(([metric]) =>
        ["Average", "Maximum"].map((stat) => ({
          namespace: "AWS/WorkSpaces",
          metric,
          dimensions: { WorkspaceId: id },
          stat,
        }))
      )
    );
    const [described, metrics] = await Promise.all([
      col.attempt(
        { service: "workspaces", operation: "DescribeWorkspaces", region },
        async () =>
          (await collect(ctx.aws, "workspaces", "DescribeWorkspaces", { WorkspaceIds: ids }, "Workspaces", {
            region,
            signal: ctx.signal,
          })).items,
      ),
      getMetricSeries(ctx.aws, region, queries, metricWindow(args.lookback_hours * HOUR, 300), { signal: ctx.signal }),
    ]);
    col.errors.push(...metrics.errors);
    const known = new Map((described ?? []).map((w) => [w.WorkspaceId, w]));
    const not_found = described ? ids.filter((id) => !known.has(id)) : [];
    if (described && not_found.length === ids.length) {
      throw new ToolFailure(
        "NotFound",
        `No desktop ${ids.join(", ")} in ${region}.`,
        "Check the ids and the region (desktop ids are per region); get_euc_inventory_summary lists what exists.",
      );
    }
    const per = PERFORMANCE_METRICS.length * 2;
    const workspaces = ids.filter((id) => !not_found.includes(id)).map((id) => {
      const i = ids.indexOf(id);
      const w = known.get(id);
      const out: Record<string, z.infer<typeof MetricSummary>> = {};
      let datapoints = 0;
      let failed = false;
      PERFORMANCE_METRICS.forEach(([metric, unit], k) => {
        const avg = metrics.series[i * per + 2 * k];
        const max = metrics.series[i * per + 2 * k + 1];
        if (!avg || !max) failed = true;
        datapoints += avg?.values.length ?? 0;
        out[metric] = metricSummary(avg, max, unit);
      });
      let note: string | null = null;
      if (failed) note = "CloudWatch could not be read for this desktop (see errors); values are unknown, not zero.";
      else if (datapoints === 0) {
        note = `No datapoints in the last ${args.lookback_hours} h: the desktop may be stopped` +
          (w?.State ? ` (state now: ${w.State})` : "") + " — a stopped desktop publishes no metrics.";
      }
      return {
        workspace_id: id,
        state: w?.State ?? null,
        running_mode: w?.WorkspaceProperties?.RunningMode ?? null,
        lookback_hours: args.lookback_hours,
        metrics: out,
        datapoints,
        note,
      };
    });
    if (!described && metrics.errors.length > 0) col.failIfNothing("performance data");
    const notes = [
      "latest = the last 5-minute Average, average = the mean of the Averages, peak = the highest Maximum.",
      "GPUUsage and FramesPerSecond are published by graphics bundles only; a null metric had no datapoints.",
    ];
    if (not_found.length) notes.push(`Not found in ${region}: ${not_found.join(", ")}.`);
    if (args.workspace_ids.length !== ids.length) notes.push("Duplicate ids were analysed once.");
    const quiet = workspaces.filter((w) => w.datapoints === 0).length;
    return {
      summary: `Performance of ${plural(workspaces.length, "desktop")} in ${region} over ${args.lookback_hours} h` +
        `${quiet ? `; ${quiet} without datapoints (may be stopped)` : ""}${
          not_found.length ? `; ${not_found.length} not found` : ""
        }${col.errors.length ? ` (${plural(col.errors.length, "error")})` : ""}.`,
      data: { region, lookback_hours: args.lookback_hours, workspaces, not_found, errors: col.errors, notes },
    };
  },
};
