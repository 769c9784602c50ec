/** get_euc_inventory_summary: counts of every EUC resource by service, type and state. */
import { z } from "zod";
import { PRODUCT, SERVICE_IDS } from "../../names.ts";
import { Collection } from "../_lib/collection.ts";
import { plural } from "../_lib/format.ts";
import { Errors, Notes, RefreshInput, RegionInput, RegionsInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { itemsOf, KINDS, listEstate, stateOf } from "./_estate.ts";

const SummaryInput = z.object({ region: RegionInput, regions: RegionsInput, refresh: RefreshInput });

const ServiceCount = z.object({
  service: z.string().describe("Current product name"),
  service_id: z.enum(SERVICE_IDS),
  resource_type: z.string(),
  region: z.string(),
  count: z.number().int(),
  by_state: z.record(z.string(), z.number().int()).describe("Counts by state; for desktops AVAILABLE = running"),
});

const SummaryOutput = z.object({
  region: z.string().describe("The region, or a comma-separated list when several were scanned"),
  regions: z.array(z.string()),
  account_scope: z.literal("single-account"),
  total_resources: z.number().int(),
  services: z.array(ServiceCount).describe("One entry per service, resource type and region that answered"),
  totals: z.array(ServiceCount.omit({ region: true })).describe("The same counts summed over regions"),
  errors: Errors,
  notes: Notes,
});

/** Counts of every EUC resource by service, type and state, in one or more regions. */
export const getEucInventorySummary: ToolDef<typeof SummaryInput, typeof SummaryOutput> = {
  name: "get_euc_inventory_summary",
  title: "EUC inventory summary",
  toolset: "inventory",
  tier: 0,
  actions: [
    "appstream:DescribeFleets",
    "appstream:DescribeStacks",
    "workspaces-instances:ListWorkspaceInstances",
    "workspaces-web:ListPortals",
    "workspaces:DescribeWorkspaceBundles",
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspaces",
    "workspaces:DescribeWorkspacesPools",
  ],
  annotations: READ_ONLY,
  description: "Counts every Amazon WorkSpaces Personal desktop, WorkSpaces Pool, WorkSpaces Applications " +
    "(formerly AppStream 2.0) fleet and stack, WorkSpaces Secure Browser (formerly WorkSpaces Web) portal and " +
    "WorkSpaces Core managed instance, with counts by state, per region (use `regions` to scan several). " +
    "Start here on large estates. by_state is the power/lifecycle answer to 'what is running' " +
    "(AVAILABLE = running; STOPPED desktops are not unused — use the utilization tools for usage).",
  input: SummaryInput,
  output: SummaryOutput,
  async run(ctx, args) {
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const listings = await listEstate(ctx, regions, KINDS.map((k) => k.kind), col);
    col.failIfNothing("inventory");
    const services: z.infer<typeof ServiceCount>[] = [];
    for (const listing of listings) {
      for (const k of KINDS) {
        const items = itemsOf(listing, k.kind);
        if (!items) continue; // failed: reported in errors, never shown as zero
        const by_state: Record<string, number> = {};
        for (const item of items) {
          const state = stateOf(k.kind, item) ?? "UNKNOWN";
          by_state[state] = (by_state[state] ?? 0) + 1;
        }
        services.push({
          service: PRODUCT[k.service],
          service_id: k.service,
          resource_type: k.resource_type,
          region: listing.region,
          count: items.length,
          by_state,
        });
      }
    }
    const totals = sumOverRegions(services);
    const total_resources = services.reduce((n, s) => n + s.count, 0);
    const notes: string[] = [];
    if (col.errors.length) notes.push("Services listed in errors are missing from the counts, not zero.");
    notes.push("Plain WorkSpaces Core partner desktops come through the WorkSpaces API and count under Personal.");
    const parts = totals.filter((t) => t.count > 0).map((t) => plural(t.count, t.resource_type));
    return {
      summary: `${total_resources} EUC resources in ${regions.join(", ")}${
        parts.length ? `: ${parts.join(", ")}` : ""
      }${col.errors.length ? ` (${col.errors.length} service errors)` : ""}.`,
      data: {
        region: regions.join(","),
        regions,
        account_scope: "single-account",
        total_resources,
        services,
        totals,
        errors: col.errors,
        notes,
      },
    };
  },
};

type Count = z.infer<typeof ServiceCount>;

function sumOverRegions(services: Count[]): Omit<Count, "region">[] {
  const byKey = new Map<string, Omit<Count, "region">>();
  for (const s of services) {
    const key = `${s.service_id}/${s.resource_type}`;
    const t = byKey.get(key) ??
      { service: s.service, service_id: s.service_id, resource_type: s.resource_type, count: 0, by_state: {} };
    t.count += s.count;
    for (const [state, n] of Object.entries(s.by_state)) t.by_state[state] = (t.by_state[state] ?? 0) + n;
    byKey.set(key, t);
  }
  return [...byKey.values()];
}
