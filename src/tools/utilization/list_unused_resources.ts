/** list_unused_resources: desktops nobody connected to, and stopped, empty or unused pools and fleets. */
import { z } from "zod";
import type { OpOutput } from "../../aws/clients.ts";
import { MetricCatalog, poolDimensions } from "../../aws/metric_catalog.ts";
import { getMetricSeries, type MetricQuery, metricWindow, type Series } from "../../aws/metrics.ts";
import { collect } from "../../aws/paginate.ts";
import { PRODUCT } from "../../names.ts";
import { Collection } from "../_lib/collection.ts";
import { FLEET_METRICS, fleetKind } from "../_lib/fleet_metrics.ts";
import { forEachRegion } from "../_lib/fanout.ts";
import { DAY, plural } from "../_lib/format.ts";
import { checkToken, pageOf } from "../_lib/paging.ts";
import { Errors, Notes, RefreshInput, RegionInput, RegionsInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolContext, type ToolDef } from "../registry.ts";
import { maxOf } from "./_history.ts";
import { Datapoints, Limit, lookbackDays, MAX_SKIPPED_LISTED, NextToken, PageFields } from "./_schemas.ts";
import { analyzeRegions, datapointsOf, type DesktopUsage } from "./_usage.ts";

const UnusedInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  refresh: RefreshInput,
  lookback_days: lookbackDays(14),
  limit: Limit,
  next_token: NextToken,
});

const UnusedItem = z.object({
  service: z.string().describe("Current product name"),
  resource_type: z.string().describe("WorkSpace, WorkSpacesPool or Fleet"),
  id: z.string(),
  region: z.string(),
  reason: z.string(),
  state: z.string().nullable(),
  running_mode: z.string().nullable().describe("Desktops and pools: running mode; fleets: fleet type"),
  last_connection: z.string().nullable().describe("Desktops: last known user connection"),
});
type UnusedItemData = z.infer<typeof UnusedItem>;

const UnusedOutput = z.object({
  region: z.string(),
  regions: z.array(z.string()),
  lookback_days: z.number().int(),
  counts: z.object({
    unused_desktops: z.number().int(),
    no_data_desktops: z.number().int().describe("No metrics but a known connection: listed apart, not unused"),
    unknown_desktops: z.number().int().describe("Metrics unreadable"),
    unused_pools: z.number().int(),
    unused_fleets: z.number().int(),
  }),
  datapoints: Datapoints.describe(
    "Desktops' UserConnected datapoints read at each resolution (hourly is exact for classification); pools' and fleets' daily peaks not included",
  ),
  items: z.array(UnusedItem).describe("Unused resources: desktops first, then pools and fleets"),
  ...PageFields,
  no_data: z.array(UnusedItem).describe(
    `Desktops without connected samples that are NOT called unused (at most ${MAX_SKIPPED_LISTED} listed)`,
  ),
  errors: Errors,
  notes: Notes,
});

type Pool = NonNullable<OpOutput<"workspaces", "DescribeWorkspacesPools">["WorkspacesPools"]>[number];
type Fleet = NonNullable<OpOutput<"appstream", "DescribeFleets">["Fleets"]>[number];

/** Pools and fleets of a region with the idle checks (stopped, no capacity, no use in the window). */
async function unusedCapacity(
  ctx: ToolContext,
  region: string,
  lookback: number,
  col: Collection,
): Promise<UnusedItemData[]> {
  const o = { region, signal: ctx.signal };
  const [pools, fleets] = await Promise.all([
    col.attempt(
      { service: "workspaces", operation: "DescribeWorkspacesPools", region },
      async () => (await collect(ctx.aws, "workspaces", "DescribeWorkspacesPools", {}, "WorkspacesPools", o)).items,
    ),
    col.attempt(
      { service: "appstream", operation: "DescribeFleets", region },
      async () => (await collect(ctx.aws, "appstream", "DescribeFleets", {}, "Fleets", o)).items,
    ),
  ]);
  const items: UnusedItemData[] = [];
  const poolItem = (p: Pool, reason: string): UnusedItemData => ({
    service: PRODUCT.pools,
    resource_type: "WorkSpacesPool",
    id: p.PoolId ?? "",
    region,
    reason,
    state: p.State ?? null,
    running_mode: p.RunningMode ?? null,
    last_connection: null,
  });
  const fleetItem = (f: Fleet, reason: string): UnusedItemData => ({
    service: PRODUCT.applications,
    resource_type: "Fleet",
    id: f.Name ?? "",
    region,
    reason,
    state: f.State ?? null,
    running_mode: f.FleetType ?? null,
    last_connection: null,
  });
  // Running pools and fleets: one batched read of their in-use peaks (cheap: one query each).
  const watchedPools: Pool[] = [];
  const watchedFleets: Fleet[] = [];
  for (const p of pools ?? []) {
    if (p.State === "STOPPED") items.push(poolItem(p, "The pool is STOPPED."));
    else if (p.CapacityStatus?.DesiredUserSessions === 0) {
      items.push(poolItem(p, "The pool's desired user-session capacity is 0."));
    } else if (p.PoolId) watchedPools.push(p);
  }
  for (const f of fleets ?? []) {
    if (f.State === "STOPPED") items.push(fleetItem(f, "The fleet is STOPPED."));
    else if (f.ComputeCapacityStatus?.Desired === 0) items.push(fleetItem(f, "The fleet's desired capacity is 0."));
    else if (f.Name) watchedFleets.push(f);
  }
  // AWS's pages name the Pools dimension both "WorkSpaces pool ID" and "Pool": read the one ListMetrics shows.
  const catalog = new MetricCatalog(ctx.aws, ctx.signal);
  const dims = watchedPools.length
    ? await poolDimensions(catalog, region, watchedPools.map((p) => p.PoolId!))
    : new Map<string, string>();
  col.errors.push(...catalog.errors);
  const queries: MetricQuery[] = [
    ...watchedPools.map((p) => ({
      namespace: "AWS/WorkSpaces",
      metric: "ActiveUserSessionCapacity",
      dimensions: { [dims.get(p.PoolId!)!]: p.PoolId! },
      stat: "Maximum",
    })),
    // Each fleet's in-use metric by kind: multi-session fleets publish no InUseCapacity (an empty series is not idle).
    ...watchedFleets.map((f) => ({
      namespace: "AWS/AppStream",
      metric: FLEET_METRICS[fleetKind(f)].inUse,
      dimensions: { Fleet: f.Name! },
      stat: "Maximum",
    })),
  ];
  if (queries.length === 0) return items;
  const r = await getMetricSeries(ctx.aws, region, queries, metricWindow(lookback * DAY, 86_400), {
    signal: ctx.signal,
  });
  col.errors.push(...r.errors);
  const unusedIn = (s: Series | null) => s !== null && s.values.length > 0 && maxOf(s.values) === 0;
  watchedPools.forEach((p, i) => {
    if (unusedIn(r.series[i])) {
      items.push(poolItem(p, `No user sessions in the last ${lookback} days (ActiveUserSessionCapacity peak 0).`));
    }
  });
  watchedFleets.forEach((f, i) => {
    if (unusedIn(r.series[watchedPools.length + i])) {
      const metric = FLEET_METRICS[fleetKind(f)].inUse;
      const what = metric === "InUseCapacity" ? "No instance in use" : "No active user session";
      items.push(fleetItem(f, `${what} in the last ${lookback} days (${metric} peak 0).`));
    }
  });
  return items;
}

function desktopItem(d: DesktopUsage): UnusedItemData {
  const w = d.workspace;
  return {
    service: PRODUCT.personal,
    resource_type: "WorkSpace",
    id: w.WorkspaceId!,
    region: d.region,
    reason: d.classification_reason,
    state: w.State ?? null,
    running_mode: w.WorkspaceProperties?.RunningMode ?? null,
    last_connection: d.last_connection,
  };
}

/** Desktops nobody connected to, stopped or empty fleets and pools, and pools/fleets nobody used. */
export const listUnusedResources: ToolDef<typeof UnusedInput, typeof UnusedOutput> = {
  name: "list_unused_resources",
  title: "List unused EUC resources",
  toolset: "utilization",
  tier: 0,
  actions: [
    "appstream:DescribeFleets",
    "cloudwatch:GetMetricData",
    "cloudwatch:ListMetrics",
    "workspaces:DescribeWorkspaceBundles",
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspaces",
    "workspaces:DescribeWorkspacesConnectionStatus",
    "workspaces:DescribeWorkspacesPools",
  ],
  annotations: READ_ONLY,
  description: "What is nobody using? WorkSpaces Personal desktops with no user connection in lookback_days " +
    "(no connected UserConnected sample AND no known connection — desktops without metrics but with a known " +
    "connection are listed apart as no_data, never as unused), WorkSpaces Pools and WorkSpaces Applications " +
    "(AppStream 2.0) fleets that are STOPPED, have desired capacity 0, or had no session in the window. Recently " +
    "provisioned desktops can look unused. Fan out with regions.",
  input: UnusedInput,
  output: UnusedOutput,
  async run(ctx, args) {
    checkToken("list_unused_resources", args.next_token);
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const lookback = args.lookback_days;
    const [usage, capacity] = await Promise.all([
      analyzeRegions(ctx, regions, lookback, col),
      forEachRegion(ctx, regions, (region) => unusedCapacity(ctx, region, lookback, col)),
    ]);
    col.failIfNothing("resources");
    const desktops = usage.flatMap((u) => u.desktops);
    const unused = desktops.filter((d) => d.classification === "unused").map(desktopItem);
    // Listed in (region, id) order: which desktops make the cut must not depend on which answer came first.
    const noData = desktops.filter((d) => d.classification === "no_data").map(desktopItem)
      .sort((a, b) => regions.indexOf(a.region) - regions.indexOf(b.region) || a.id.localeCompare(b.id));
    const unknown = desktops.filter((d) => d.classification === "unknown").length;
    const others = capacity.flat();
    const items = [
      ...unused,
      ...others.filter((i) => i.resource_type === "WorkSpacesPool"),
      ...others.filter((i) => i.resource_type === "Fleet"),
    ];
    // A total order (desktops, pools, fleets; then region, stopped / no capacity / no use, id): pages are exact
    // whatever order AWS answered in.
    const typeRank = (t: string) => ["WorkSpace", "WorkSpacesPool", "Fleet"].indexOf(t);
    const reasonRank = (r: string) => (r.includes("STOPPED") ? 0 : r.startsWith("No ") ? 2 : 1);
    const page = pageOf(
      "list_unused_resources",
      items,
      args.limit,
      args.next_token,
      undefined,
      (i) => [typeRank(i.resource_type), i.region, reasonRank(i.reason), i.id],
    );
    const counts = {
      unused_desktops: unused.length,
      no_data_desktops: noData.length,
      unknown_desktops: unknown,
      unused_pools: others.filter((i) => i.resource_type === "WorkSpacesPool").length,
      unused_fleets: others.filter((i) => i.resource_type === "Fleet").length,
    };
    const notes = [
      "Recently provisioned desktops can look unused: check the user and the creation date before removing one.",
      "Unused is about user connections, not power state: a STOPPED desktop is not unused if its user connects.",
    ];
    if (noData.length) {
      notes.push(
        `${
          plural(noData.length, "desktop")
        } had no connected samples but a known connection in the window (or an unreadable status): listed in no_data, not as unused.`,
      );
    }
    if (unknown) notes.push(`${plural(unknown, "desktop")} could not be classified: CloudWatch failed (see errors).`);
    if (page.truncated) notes.push("Pass next_token (with the same arguments) for the next page.");
    const total = counts.unused_desktops + counts.unused_pools + counts.unused_fleets;
    return {
      summary: `${total} unused resources in ${regions.join(", ")} over ${lookback} days: ${counts.unused_desktops} ` +
        `desktops, ${counts.unused_pools} pools, ${counts.unused_fleets} fleets; ${counts.no_data_desktops} desktops ` +
        `without data (not unused)${col.errors.length ? `, ${plural(col.errors.length, "error")}` : ""}.`,
      data: {
        region: regions.join(","),
        regions,
        lookback_days: lookback,
        counts,
        datapoints: datapointsOf(usage),
        items: page.items,
        total_count: page.total_count,
        truncated: page.truncated,
        next_token: page.next_token,
        no_data: noData.slice(0, MAX_SKIPPED_LISTED),
        errors: col.errors,
        notes,
      },
    };
  },
};
