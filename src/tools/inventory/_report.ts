/**
 * The inventory report engine: lists the estate, slices every section to one page, then enriches
 * only what is returned (bundle names in chunks of 25, EC2 details in chunks of 100, associated
 * fleets, tags on request). Shared by generate_inventory_report and export_inventory_report_csv.
 */
import { z } from "zod";
import type { Aws } from "../../aws/clients.ts";
import { listedBundles, type Workspace } from "../../aws/listing.ts";
import { chunk, collect, mapLimit } from "../../aws/paginate.ts";
import { PRODUCT, SERVICE_IDS } from "../../names.ts";
import { Collection } from "../_lib/collection.ts";
import type { ToolContext } from "../registry.ts";
import {
  type Fleet,
  type Instance,
  itemsOf,
  type Kind,
  KINDS,
  kindsFor,
  listEstate,
  parseServices,
  type Pool,
  type Portal,
  type Stack,
} from "./_estate.ts";
import {
  type Bundle,
  type Ec2Instance,
  fleetRow,
  instanceRow,
  poolRow,
  portalRow,
  Resource,
  type ResourceRow,
  stackRow,
  workspaceRow,
} from "./_rows.ts";

/** AWS calls in flight per region for per-resource lookups. */
const LOOKUP_CONCURRENCY = 8;
/** API limits: ids per DescribeWorkspaceBundles call, instance ids per DescribeInstances call. */
const BUNDLE_IDS_PER_CALL = 25;
const EC2_IDS_PER_CALL = 100;

/** The IAM actions the report engine calls (listing, enrichment and tags): both report tools need all of them. */
export const REPORT_ACTIONS: readonly string[] = [
  "appstream:DescribeFleets",
  "appstream:DescribeStacks",
  "appstream:ListAssociatedFleets",
  "appstream:ListTagsForResource",
  "ec2:DescribeInstances",
  "workspaces-instances:ListWorkspaceInstances",
  "workspaces-web:ListPortals",
  "workspaces-web:ListTagsForResource",
  "workspaces:DescribeTags",
  "workspaces:DescribeWorkspaceBundles",
  "workspaces:DescribeWorkspaceDirectories",
  "workspaces:DescribeWorkspaces",
  "workspaces:DescribeWorkspacesPools",
];

/** One section of the report: one service, resource type and region. */
export const Section = z.object({
  service: z.string(),
  service_id: z.enum(SERVICE_IDS),
  resource_type: z.string(),
  region: z.string(),
  total_count: z.number().int().describe("Real number of resources, whatever the cap"),
  truncated: z.boolean().describe("True when more resources exist than are listed here"),
  resources: z.array(Resource),
});
/** A report section. */
export type SectionData = z.infer<typeof Section>;

/** The inputs the report and the CSV export share. */
export interface ReportArgs {
  region?: string;
  regions?: string[];
  include_tags: boolean;
  services?: string | string[];
}

/** Builds the report sections: lists, slices to [offset, offset+cap), then enriches only what is returned. */
export async function buildReport(
  ctx: ToolContext,
  args: ReportArgs,
  offset: number,
  cap: number,
): Promise<{ regions: string[]; sections: SectionData[]; col: Collection; more: boolean }> {
  const services = parseServices(args.services);
  const regions = await ctx.regions(args, true);
  const col = new Collection();
  const listings = await listEstate(ctx, regions, kindsFor(services), col);
  col.failIfNothing("inventory");
  const sections: SectionData[] = [];
  let more = false;
  for (const listing of listings) {
    for (const k of KINDS) {
      const listed = itemsOf(listing, k.kind);
      if (!listed) continue;
      // Sorted by id: the offset of next_token is exact whatever order AWS listed in.
      const all = [...listed].sort((a, b) => compareIds(idOf(k.kind, a), idOf(k.kind, b)));
      const page = all.slice(offset, offset + cap);
      if (all.length > offset + cap) more = true;
      const resources = await enrich(ctx, k.kind, listing.region, page, args.include_tags, col);
      sections.push({
        service: PRODUCT[k.service],
        service_id: k.service,
        resource_type: k.resource_type,
        region: listing.region,
        total_count: all.length,
        truncated: all.length > offset + cap || offset > 0,
        resources,
      });
    }
  }
  return { regions, sections, col, more };
}

const ID_FIELD: Record<Kind, string> = {
  workspaces: "WorkspaceId",
  pools: "PoolId",
  fleets: "Name",
  stacks: "Name",
  portals: "portalArn",
  instances: "WorkspaceInstanceId",
};

function idOf(kind: Kind, item: unknown): string {
  return String((item as Record<string, unknown>)[ID_FIELD[kind]] ?? "");
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function enrich(
  ctx: ToolContext,
  kind: Kind,
  region: string,
  items: unknown[],
  includeTags: boolean,
  col: Collection,
): Promise<ResourceRow[]> {
  const o = { region, signal: ctx.signal };
  // Desktops and pools share the WorkSpaces tagging API (one resource per call).
  const workspacesTags = async (row: ResourceRow) => {
    const out = await ctx.aws.call("workspaces", "DescribeTags", { ResourceId: row.id }, o);
    return Object.fromEntries((out.TagList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  };
  let rows: ResourceRow[];
  switch (kind) {
    case "workspaces": {
      const list = items as Workspace[];
      const bundles = await bundleNames(ctx.aws, list.map((w) => w.BundleId), region, ctx.signal, col);
      rows = list.map((w) => workspaceRow(w, region, bundles));
      if (includeTags) await tagRows(rows, col, region, "workspaces", "DescribeTags", workspacesTags);
      return rows;
    }
    case "pools": {
      const list = items as Pool[];
      const bundles = await bundleNames(ctx.aws, list.map((p) => p.BundleId), region, ctx.signal, col);
      rows = list.map((p) => poolRow(p, region, bundles));
      if (includeTags) await tagRows(rows, col, region, "workspaces", "DescribeTags", workspacesTags);
      return rows;
    }
    case "fleets":
    case "stacks": {
      rows = kind === "fleets"
        ? (items as Fleet[]).map((f) => fleetRow(f, region))
        : (items as Stack[]).map((s) => stackRow(s, region));
      if (kind === "stacks") {
        await mapLimit(rows, LOOKUP_CONCURRENCY, async (row) => {
          const fleets = await col.attempt(
            { service: "appstream", operation: "ListAssociatedFleets", region },
            async () =>
              (await collect(ctx.aws, "appstream", "ListAssociatedFleets", { StackName: row.id }, "Names", o)).items,
          );
          row.attributes.associated_fleets = fleets ?? null;
        });
      }
      if (includeTags) {
        const arns = new Map((items as (Fleet | Stack)[]).map((r) => [r.Name ?? "", r.Arn]));
        await tagRows(rows, col, region, "appstream", "ListTagsForResource", async (row) => {
          const arn = arns.get(row.id);
          if (!arn) return {};
          return (await ctx.aws.call("appstream", "ListTagsForResource", { ResourceArn: arn }, o)).Tags ?? {};
        });
      }
      return rows;
    }
    case "portals": {
      rows = (items as Portal[]).map((p) => portalRow(p, region));
      if (includeTags) {
        await tagRows(rows, col, region, "workspaces-web", "ListTagsForResource", async (row) => {
          const out = await ctx.aws.call("workspaces-web", "ListTagsForResource", { resourceArn: row.id }, o);
          return Object.fromEntries((out.tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
        });
      }
      return rows;
    }
    case "instances": {
      const list = items as Instance[];
      const ec2 = await describeEc2(
        ctx.aws,
        list.map((i) => i.EC2ManagedInstance?.InstanceId),
        region,
        ctx.signal,
        col,
      );
      return list.map((i) => instanceRow(i, region, ec2));
    }
  }
}

async function tagRows(
  rows: ResourceRow[],
  col: Collection,
  region: string,
  service: string,
  operation: string,
  fetch: (row: ResourceRow) => Promise<Record<string, string>>,
): Promise<void> {
  await mapLimit(rows, LOOKUP_CONCURRENCY, async (row) => {
    const tags = await col.attempt({ service, operation, region }, () => fetch(row));
    if (tags) {
      row.tags = tags;
      // Where the Python server puts them (its users' scripts read attributes.tags).
      row.attributes.tags = tags;
    }
  });
}

/** Looks unique ids up in chunks of `size` (an API limit), concurrently; a failed chunk is recorded in `col`. */
async function lookupInChunks<T>(
  ids: (string | undefined)[],
  size: number,
  where: { service: string; operation: string; region: string },
  col: Collection,
  fetch: (batch: string[]) => Promise<T[]>,
): Promise<T[]> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))];
  const found = await mapLimit(
    chunk(unique, size),
    LOOKUP_CONCURRENCY,
    (batch) => col.attempt(where, () => fetch(batch)),
  );
  return found.flatMap((items) => items ?? []);
}

/** Bundle id → bundle, looked up 25 ids per call (the API limit) for the given ids only. */
async function bundleNames(
  aws: Aws,
  ids: (string | undefined)[],
  region: string,
  signal: AbortSignal,
  col: Collection,
): Promise<Map<string, Bundle>> {
  const where = { service: "workspaces", operation: "DescribeWorkspaceBundles", region };
  // The desktop listing may have enumerated the region's bundles already (to split by bundle): only look up the rest.
  const known = new Map(((await listedBundles(region)) ?? []).map((b) => [b.BundleId, b]));
  const bundles = await lookupInChunks(
    ids.filter((id) => !id || !known.has(id)),
    BUNDLE_IDS_PER_CALL,
    where,
    col,
    async (BundleIds) =>
      (await collect(aws, "workspaces", "DescribeWorkspaceBundles", { BundleIds }, "Bundles", { region, signal }))
        .items,
  );
  return new Map([...known.values(), ...bundles].filter((b) => b.BundleId).map((b) => [b.BundleId!, b]));
}

/** EC2 instance id → instance, chunked and paginated (the reference sent every id in one call). */
async function describeEc2(
  aws: Aws,
  ids: (string | undefined)[],
  region: string,
  signal: AbortSignal,
  col: Collection,
): Promise<Map<string, Ec2Instance>> {
  const where = { service: "ec2", operation: "DescribeInstances", region };
  const reservations = await lookupInChunks(
    ids,
    EC2_IDS_PER_CALL,
    where,
    col,
    async (InstanceIds) =>
      (await collect(aws, "ec2", "DescribeInstances", { InstanceIds }, "Reservations", { region, signal })).items,
  );
  const instances = reservations.flatMap((r) => r.Instances ?? []);
  return new Map(instances.filter((i) => i.InstanceId).map((i) => [i.InstanceId!, i]));
}
