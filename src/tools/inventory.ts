/**
 * Inventory toolset: what exists across the EUC family, by service, state and region.
 *
 * Improvements over the reference: multi-region fan-out; bundle lookups chunked at 25 and only
 * for the desktops returned; tags fetched only for returned resources (after the cap); EC2
 * DescribeInstances chunked and paginated; the CSV is returned as a resource, never a file.
 */
import { z } from "zod";
import type { Aws, OpOutput } from "../aws/clients.ts";
import { chunk, collect, mapLimit } from "../aws/paginate.ts";
import { PRODUCT, SERVICE_IDS, serviceFromAlias, type ServiceId } from "../names.ts";
import { Collection } from "./_lib/collection.ts";
import { listWorkspaces, type Workspace } from "../aws/listing.ts";
import { READ_ONLY, type ToolContext, type ToolDef, ToolFailure } from "./registry.ts";
import { Errors, Notes, RegionInput, RegionsInput } from "./_lib/schemas.ts";

/** Regions worked on at once, and AWS calls in flight per region for per-resource lookups. */
const REGION_CONCURRENCY = 4;
const LOOKUP_CONCURRENCY = 8;
/** API limits: ids per DescribeWorkspaceBundles call, instance ids per DescribeInstances call. */
const BUNDLE_IDS_PER_CALL = 25;
const EC2_IDS_PER_CALL = 100;
/** A CSV larger than this is served as a linked resource instead of embedded in the result. */
const CSV_EMBED_LIMIT_BYTES = 60_000;

type Bundle = NonNullable<OpOutput<"workspaces", "DescribeWorkspaceBundles">["Bundles"]>[number];
type Pool = NonNullable<OpOutput<"workspaces", "DescribeWorkspacesPools">["WorkspacesPools"]>[number];
type Fleet = NonNullable<OpOutput<"appstream", "DescribeFleets">["Fleets"]>[number];
type Stack = NonNullable<OpOutput<"appstream", "DescribeStacks">["Stacks"]>[number];
type Portal = NonNullable<OpOutput<"workspaces-web", "ListPortals">["portals"]>[number];
type Instance = NonNullable<OpOutput<"workspaces-instances", "ListWorkspaceInstances">["WorkspaceInstances"]>[number];
type Ec2Instance = NonNullable<
  NonNullable<OpOutput<"ec2", "DescribeInstances">["Reservations"]>[number]["Instances"]
>[number];

/** The six resource kinds, in report order, with the service each belongs to. */
const KINDS = [
  { kind: "workspaces", service: "personal", resource_type: "WorkSpace" },
  { kind: "pools", service: "pools", resource_type: "WorkSpacesPool" },
  { kind: "fleets", service: "applications", resource_type: "Fleet" },
  { kind: "stacks", service: "applications", resource_type: "Stack" },
  { kind: "portals", service: "secure-browser", resource_type: "Portal" },
  { kind: "instances", service: "core", resource_type: "ManagedInstance" },
] as const satisfies readonly { kind: string; service: ServiceId; resource_type: string }[];
type Kind = typeof KINDS[number]["kind"];

// ---------------------------------------------------------------- listing (one region)

interface Listing {
  region: string;
  workspaces?: Workspace[];
  pools?: Pool[];
  fleets?: Fleet[];
  stacks?: Stack[];
  portals?: Portal[];
  instances?: Instance[];
}

async function listKind(aws: Aws, kind: Kind, region: string, signal: AbortSignal): Promise<unknown[]> {
  const o = { region, signal };
  switch (kind) {
    case "workspaces":
      return (await listWorkspaces(aws, region, signal)).workspaces;
    case "pools":
      return (await collect(aws, "workspaces", "DescribeWorkspacesPools", {}, "WorkspacesPools", o)).items;
    case "fleets":
      return (await collect(aws, "appstream", "DescribeFleets", {}, "Fleets", o)).items;
    case "stacks":
      return (await collect(aws, "appstream", "DescribeStacks", {}, "Stacks", o)).items;
    case "portals":
      return (await collect(aws, "workspaces-web", "ListPortals", {}, "portals", o)).items;
    case "instances":
      return (await collect(aws, "workspaces-instances", "ListWorkspaceInstances", {}, "WorkspaceInstances", o)).items;
  }
}

const LIST_OPERATION: Readonly<Record<Kind, [string, string]>> = {
  workspaces: ["workspaces", "DescribeWorkspaces"],
  pools: ["workspaces", "DescribeWorkspacesPools"],
  fleets: ["appstream", "DescribeFleets"],
  stacks: ["appstream", "DescribeStacks"],
  portals: ["workspaces-web", "ListPortals"],
  instances: ["workspaces-instances", "ListWorkspaceInstances"],
};

/** Lists the requested kinds in every region, concurrently, with per-region/service errors. */
async function listEstate(
  ctx: ToolContext,
  regions: string[],
  kinds: readonly Kind[],
  col: Collection,
): Promise<Listing[]> {
  const total = regions.length * kinds.length;
  let done = 0;
  return await mapLimit(regions, REGION_CONCURRENCY, async (region) => {
    const listing: Listing = { region };
    await Promise.all(kinds.map(async (kind) => {
      const [service, operation] = LIST_OPERATION[kind];
      const items = await col.attempt(
        { service, operation, region },
        () => listKind(ctx.aws, kind, region, ctx.signal),
      );
      if (items) (listing as unknown as Record<string, unknown[]>)[kind] = items;
      await ctx.progress(++done, total, `${kind} in ${region}`);
    }));
    return listing;
  });
}

function kindsFor(services: readonly ServiceId[]): Kind[] {
  return KINDS.filter((k) => services.includes(k.service)).map((k) => k.kind);
}

function stateOf(kind: Kind, item: unknown): string | undefined {
  const r = item as Record<string, unknown>;
  switch (kind) {
    case "workspaces":
    case "pools":
    case "fleets":
      return r.State as string | undefined;
    case "stacks":
      return stackState(item as Stack);
    case "portals":
      return r.portalStatus as string | undefined;
    case "instances":
      return r.ProvisionState as string | undefined;
  }
}

// ---------------------------------------------------------------- shared input parsing

const ServicesInput = z.union([z.string().max(200), z.array(z.string().max(60)).max(10)]).optional().describe(
  'Which services: "all" (default) or any of personal, pools, applications, secure-browser, core — comma-separated or a list. Legacy names work: "AppStream 2.0" = applications, "WorkSpaces Web" = secure-browser.',
);

/** Parses the `services` filter (aliases, case-insensitive) before any AWS call. */
function parseServices(value: string | string[] | undefined): ServiceId[] {
  const raw = value === undefined ? ["all"] : Array.isArray(value) ? value : value.split(",");
  const names = raw.map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || names.some((n) => n.toLowerCase() === "all")) return [...SERVICE_IDS];
  const out = new Set<ServiceId>();
  for (const name of names) {
    const id = serviceFromAlias(name);
    if (!id) {
      throw new ToolFailure(
        "InvalidInput",
        `Unknown service "${name}".`,
        `Use "all" or any of ${
          SERVICE_IDS.join(", ")
        } (legacy names such as "AppStream 2.0" and "WorkSpaces Web" are accepted).`,
      );
    }
    out.add(id);
  }
  return [...out];
}

// ---------------------------------------------------------------- get_euc_inventory_summary

const SummaryInput = z.object({ region: RegionInput, regions: RegionsInput });

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
        const items = (listing as unknown as Record<string, unknown[] | undefined>)[k.kind];
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
    const parts = totals.filter((t) => t.count > 0).map((t) =>
      `${t.count} ${t.resource_type}${t.count === 1 ? "" : "s"}`
    );
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

// ---------------------------------------------------------------- generate_inventory_report

const Resource = z.object({
  id: z.string(),
  name: z.string().nullable(),
  state: z.string().nullable(),
  region: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  tags: z.record(z.string(), z.string()).optional().describe("Only with include_tags"),
});
type ResourceRow = z.infer<typeof Resource>;

const Section = z.object({
  service: z.string(),
  service_id: z.enum(SERVICE_IDS),
  resource_type: z.string(),
  region: z.string(),
  total_count: z.number().int().describe("Real number of resources, whatever the cap"),
  truncated: z.boolean().describe("True when more resources exist than are listed here"),
  resources: z.array(Resource),
});
type SectionData = z.infer<typeof Section>;

const ReportInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  include_tags: z.boolean().default(false).describe("Also fetch tags (one extra call per listed resource)"),
  services: ServicesInput,
  max_resources_per_service: z.number().int().min(1).max(10_000).default(100).describe(
    "Cap per section (service × type × region); total_count stays complete",
  ),
  next_token: z.string().max(200).optional().describe(
    "From a previous truncated report: returns the next page of every section",
  ),
});

const ReportOutput = z.object({
  region: z.string(),
  regions: z.array(z.string()),
  total_resources: z.number().int(),
  sections: z.array(Section),
  next_token: z.string().nullable().describe("Pass back to get the next page; null when everything was listed"),
  errors: Errors,
  notes: Notes,
});

interface ReportArgs {
  region?: string;
  regions?: string[];
  include_tags: boolean;
  services?: string | string[];
}

function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const { o } = JSON.parse(atob(token.replace(/-/g, "+").replace(/_/g, "/")));
    if (Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through to the error below
  }
  throw new ToolFailure(
    "InvalidInput",
    "next_token is not one this server issued.",
    "Call again without next_token to start from the first page.",
  );
}

function encodePageToken(offset: number): string {
  return btoa(JSON.stringify({ o: offset })).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Builds the report sections: lists, slices to [offset, offset+cap), then enriches only what is returned. */
async function buildReport(
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
      const all = (listing as unknown as Record<string, unknown[] | undefined>)[k.kind];
      if (!all) continue;
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
    if (tags) row.tags = tags;
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
  const bundles = await lookupInChunks(
    ids,
    BUNDLE_IDS_PER_CALL,
    where,
    col,
    async (BundleIds) =>
      (await collect(aws, "workspaces", "DescribeWorkspaceBundles", { BundleIds }, "Bundles", { region, signal }))
        .items,
  );
  return new Map(bundles.filter((b) => b.BundleId).map((b) => [b.BundleId!, b]));
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

function iso(d: Date | undefined): string | null {
  return d instanceof Date && !isNaN(d.getTime()) ? d.toISOString() : null;
}

function workspaceRow(w: Workspace, region: string, bundles: Map<string, Bundle>): ResourceRow {
  const p = w.WorkspaceProperties ?? {};
  const bundle = w.BundleId ? bundles.get(w.BundleId) : undefined;
  return {
    id: w.WorkspaceId ?? "",
    name: w.UserName ?? null,
    state: w.State ?? null,
    region,
    attributes: {
      user_name: w.UserName ?? null,
      computer_name: w.ComputerName ?? null,
      workspace_name: w.WorkspaceName ?? null,
      ip_address: w.IpAddress ?? null,
      directory_id: w.DirectoryId ?? null,
      bundle_id: w.BundleId ?? null,
      bundle_name: bundle?.Name ?? null,
      compute_type: p.ComputeTypeName ?? bundle?.ComputeType?.Name ?? null,
      running_mode: p.RunningMode ?? null,
      auto_stop_timeout_minutes: p.RunningModeAutoStopTimeoutInMinutes ?? null,
      operating_system: p.OperatingSystemName ?? null,
      protocols: p.Protocols ?? [],
      root_volume_gib: p.RootVolumeSizeGib ?? null,
      user_volume_gib: p.UserVolumeSizeGib ?? null,
      // AWS omits the flags when a volume is not encrypted: absent means false.
      root_volume_encrypted: w.RootVolumeEncryptionEnabled === true,
      user_volume_encrypted: w.UserVolumeEncryptionEnabled === true,
      subnet_id: w.SubnetId ?? null,
      error_code: w.ErrorCode ?? null,
      error_message: w.ErrorMessage ?? null,
    },
  };
}

function poolRow(p: Pool, region: string, bundles: Map<string, Bundle>): ResourceRow {
  const c = p.CapacityStatus;
  const bundle = p.BundleId ? bundles.get(p.BundleId) : undefined;
  return {
    id: p.PoolId ?? "",
    name: p.PoolName ?? null,
    state: p.State ?? null,
    region,
    attributes: {
      bundle_id: p.BundleId ?? null,
      bundle_name: bundle?.Name ?? null,
      compute_type: bundle?.ComputeType?.Name ?? null,
      operating_system: bundle?.Description ?? null,
      directory_id: p.DirectoryId ?? null,
      running_mode: p.RunningMode ?? null,
      description: p.Description ?? null,
      created_at: iso(p.CreatedAt),
      // CapacityStatus, not Capacity (a reference bug left these always null).
      desired_user_sessions: c?.DesiredUserSessions ?? null,
      actual_user_sessions: c?.ActualUserSessions ?? null,
      active_user_sessions: c?.ActiveUserSessions ?? null,
      available_user_sessions: c?.AvailableUserSessions ?? null,
      errors: (p.Errors ?? []).map((e) => ({ code: e.ErrorCode ?? null, message: e.ErrorMessage ?? null })),
    },
  };
}

function fleetRow(f: Fleet, region: string): ResourceRow {
  const c = f.ComputeCapacityStatus;
  return {
    id: f.Name ?? "",
    name: f.DisplayName ?? f.Name ?? null,
    state: f.State ?? null,
    region,
    attributes: {
      arn: f.Arn ?? null,
      instance_type: f.InstanceType ?? null,
      fleet_type: f.FleetType ?? null,
      platform: f.Platform ?? null,
      stream_view: f.StreamView ?? null,
      image_name: f.ImageName ?? null,
      image_arn: f.ImageArn ?? null,
      max_user_duration_seconds: f.MaxUserDurationInSeconds ?? null,
      idle_disconnect_timeout_seconds: f.IdleDisconnectTimeoutInSeconds ?? null,
      disconnect_timeout_seconds: f.DisconnectTimeoutInSeconds ?? null,
      max_sessions_per_instance: f.MaxSessionsPerInstance ?? null,
      max_concurrent_sessions: f.MaxConcurrentSessions ?? null,
      default_internet_access: f.EnableDefaultInternetAccess ?? null,
      desired: c?.Desired ?? null,
      running: c?.Running ?? null,
      in_use: c?.InUse ?? null,
      available: c?.Available ?? null,
      fleet_errors: (f.FleetErrors ?? []).map((e) => ({ code: e.ErrorCode ?? null, message: e.ErrorMessage ?? null })),
    },
  };
}

/** Stacks have no state in the API: one with StackErrors is ERROR, any other existing stack ACTIVE. */
function stackState(s: Stack): string {
  return (s.StackErrors ?? []).length > 0 ? "ERROR" : "ACTIVE";
}

function stackRow(s: Stack, region: string): ResourceRow {
  return {
    id: s.Name ?? "",
    name: s.DisplayName ?? s.Name ?? null,
    state: stackState(s),
    region,
    attributes: {
      arn: s.Arn ?? null,
      description: s.Description ?? null,
      embed_host_domains: s.EmbedHostDomains ?? [],
      redirect_url: s.RedirectURL ?? null,
      feedback_url: s.FeedbackURL ?? null,
      user_settings: (s.UserSettings ?? []).map((u) => ({
        action: u.Action ?? null,
        permission: u.Permission ?? null,
      })),
      storage_connectors: (s.StorageConnectors ?? []).map((c) => c.ConnectorType ?? null),
      application_settings_enabled: s.ApplicationSettings?.Enabled ?? null,
      stack_errors: (s.StackErrors ?? []).map((e) => ({ code: e.ErrorCode ?? null, message: e.ErrorMessage ?? null })),
    },
  };
}

function portalRow(p: Portal, region: string): ResourceRow {
  return {
    id: p.portalArn ?? "",
    name: p.displayName ?? null,
    state: p.portalStatus ?? null,
    region,
    attributes: {
      browser_type: p.browserType ?? null,
      authentication_type: p.authenticationType ?? null,
      max_concurrent_sessions: p.maxConcurrentSessions ?? null,
      instance_type: p.instanceType ?? null,
      renderer_type: p.rendererType ?? null,
      portal_endpoint: p.portalEndpoint ?? null,
      created_at: iso(p.creationDate),
      ip_access_settings_arn: p.ipAccessSettingsArn ?? null,
      user_access_logging_settings_arn: p.userAccessLoggingSettingsArn ?? null,
    },
  };
}

function instanceRow(i: Instance, region: string, ec2: Map<string, Ec2Instance>): ResourceRow {
  const id = i.EC2ManagedInstance?.InstanceId;
  const e = id ? ec2.get(id) : undefined;
  return {
    id: i.WorkspaceInstanceId ?? "",
    name: e?.Tags?.find((t) => t.Key === "Name")?.Value ?? null,
    state: i.ProvisionState ?? null,
    region,
    attributes: {
      ec2_instance_id: id ?? null,
      ec2_instance_type: e?.InstanceType ?? null,
      ec2_state: e?.State?.Name ?? null,
      ec2_launch_time: iso(e?.LaunchTime),
      ec2_private_ip: e?.PrivateIpAddress ?? null,
      ec2_platform: e?.PlatformDetails ?? null,
    },
  };
}

/** The full inventory, section by section, capped with complete totals and a next_token. */
export const generateInventoryReport: ToolDef<typeof ReportInput, typeof ReportOutput> = {
  name: "generate_inventory_report",
  title: "EUC inventory report",
  toolset: "inventory",
  tier: 0,
  actions: [
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
  ],
  annotations: READ_ONLY,
  description: "Detailed inventory of WorkSpaces Personal desktops, Pools, WorkSpaces Applications (AppStream 2.0) " +
    "fleets and stacks, Secure Browser portals and Core managed instances, with their key attributes " +
    "(bundle, compute type, running mode, volume encryption, capacity, images, EC2 details). Each section is capped " +
    "at max_resources_per_service with complete total_count and truncated; pass next_token for the next page, " +
    "or use export_inventory_report_csv for everything. Filter with services; fan out with regions.",
  input: ReportInput,
  output: ReportOutput,
  async run(ctx, args) {
    const offset = decodePageToken(args.next_token);
    const cap = args.max_resources_per_service;
    const { regions, sections, col, more } = await buildReport(ctx, args, offset, cap);
    const total_resources = sections.reduce((n, s) => n + s.total_count, 0);
    const listed = sections.reduce((n, s) => n + s.resources.length, 0);
    const notes: string[] = [];
    if (more) {
      notes.push(
        `Some sections have more than ${cap} resources from offset ${offset}: pass next_token for the next page, or use export_inventory_report_csv for the full list.`,
      );
    }
    if (col.errors.length) notes.push("Sections whose listing failed are absent (see errors); they are not empty.");
    return {
      summary: `Inventory of ${
        regions.join(", ")
      }: ${total_resources} resources in ${sections.length} sections, ${listed} listed${
        more ? " (truncated; next_token returned)" : ""
      }${col.errors.length ? `, ${col.errors.length} errors` : ""}.`,
      data: {
        region: regions.join(","),
        regions,
        total_resources,
        sections,
        next_token: more ? encodePageToken(offset + cap) : null,
        errors: col.errors,
        notes,
      },
    };
  },
};

// ---------------------------------------------------------------- export_inventory_report_csv

const CsvInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  include_tags: z.boolean().default(false).describe("Add a tags column (one extra call per resource)"),
  services: ServicesInput,
});

const CsvOutput = z.object({
  report_id: z.string(),
  resource_uri: z.string().describe("euc://reports/<id>.csv — readable with resources/read for this session"),
  mime_type: z.literal("text/csv"),
  rows: z.number().int(),
  columns: z.array(z.string()),
  total_resources: z.number().int(),
  bytes: z.number().int(),
  embedded: z.boolean().describe("True when the CSV is also embedded in this result (small exports)"),
  errors: Errors,
  notes: Notes,
});

/** Characters that make spreadsheet programs evaluate a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "object" ? JSON.stringify(value) : String(value);
  // AWS-sourced strings (names, tags) can be attacker-controlled: neutralise formula injection.
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Flattens sections into CSV text: core columns, then the sorted union of attribute keys. */
function toCsv(sections: SectionData[], includeTags: boolean): { csv: string; columns: string[]; rows: number } {
  const keys = new Set<string>();
  for (const s of sections) for (const r of s.resources) for (const k of Object.keys(r.attributes)) keys.add(k);
  const attributeKeys = [...keys].sort();
  const columns = [
    "service",
    "resource_type",
    "region",
    "id",
    "name",
    "state",
    ...attributeKeys,
    ...(includeTags ? ["tags"] : []),
  ];
  const lines = [columns.join(",")];
  let rows = 0;
  for (const s of sections) {
    for (const r of s.resources) {
      const cells = [
        s.service,
        s.resource_type,
        r.region,
        r.id,
        r.name,
        r.state,
        ...attributeKeys.map((k) => r.attributes[k]),
      ];
      if (includeTags) cells.push(r.tags ?? {});
      lines.push(cells.map(csvCell).join(","));
      rows++;
    }
  }
  return { csv: lines.join("\r\n") + "\r\n", columns, rows };
}

/** Every resource as CSV, returned as an embedded text/csv resource and a session resource. */
export const exportInventoryReportCsv: ToolDef<typeof CsvInput, typeof CsvOutput> = {
  name: "export_inventory_report_csv",
  title: "Export EUC inventory as CSV",
  toolset: "inventory",
  tier: 0,
  actions: [
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
  ],
  annotations: READ_ONLY,
  description: "The complete inventory (no cap) as one CSV for spreadsheets: one row per resource with service, " +
    "type, region, id, name, state and every attribute column. Writes no file: the CSV is embedded in the result " +
    "when small and always registered as the session resource euc://reports/<id>.csv (read it with resources/read).",
  input: CsvInput,
  output: CsvOutput,
  async run(ctx, args) {
    const { regions, sections, col } = await buildReport(ctx, args, 0, Number.MAX_SAFE_INTEGER);
    const { csv, columns, rows } = toCsv(sections, args.include_tags);
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, "");
    const report = ctx.reports.add(
      `euc-inventory-${regions.length === 1 ? regions[0] : "multi-region"}-${stamp}`,
      "text/csv",
      csv,
    );
    const bytes = new TextEncoder().encode(csv).length;
    const embedded = bytes <= CSV_EMBED_LIMIT_BYTES;
    const notes: string[] = [];
    if (!embedded) {
      notes.push(
        `The CSV is ${Math.round(bytes / 1024)} KB, too large to embed; read ${report.uri} with resources/read.`,
      );
    }
    if (col.errors.length) notes.push("Services whose listing failed are missing from the CSV (see errors).");
    const total_resources = sections.reduce((n, s) => n + s.total_count, 0);
    return {
      summary: `CSV export: ${rows} rows × ${columns.length} columns (${Math.round(bytes / 1024)} KB) at ${report.uri}${
        embedded ? ", embedded below" : ""
      }.`,
      data: {
        report_id: report.id,
        resource_uri: report.uri,
        mime_type: "text/csv",
        rows,
        columns,
        total_resources,
        bytes,
        embedded,
        errors: col.errors,
        notes,
      },
      content: [
        embedded
          ? { type: "resource", resource: { uri: report.uri, mimeType: "text/csv", text: csv } }
          : { type: "resource_link", uri: report.uri, name: report.id, mimeType: "text/csv", size: bytes },
      ],
    };
  },
};

/** The inventory toolset's tools. */
export const INVENTORY_TOOLS = [getEucInventorySummary, generateInventoryReport, exportInventoryReportCsv] as const;
