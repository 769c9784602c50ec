/**
 * The inventory toolset's estate listing: the six resource kinds, each listed in every region side
 * by side with per-region/service errors, their states, and the `services` filter.
 */
import { parseServices as parseServiceList } from "../_lib/services.ts";
import { z } from "zod";
import type { Aws, OpOutput } from "../../aws/clients.ts";
import { listWorkspaces, type Workspace } from "../../aws/listing.ts";
import { collectOnce } from "../../aws/listing_cache.ts";
import { SERVICE_IDS, type ServiceId } from "../../names.ts";
import type { Collection } from "../_lib/collection.ts";
import { forEachRegion } from "../_lib/fanout.ts";
import type { ToolContext } from "../registry.ts";

/** A WorkSpaces Pool as DescribeWorkspacesPools returns it. */
export type Pool = NonNullable<OpOutput<"workspaces", "DescribeWorkspacesPools">["WorkspacesPools"]>[number];
/** A WorkSpaces Applications fleet. */
export type Fleet = NonNullable<OpOutput<"appstream", "DescribeFleets">["Fleets"]>[number];
/** A WorkSpaces Applications stack. */
export type Stack = NonNullable<OpOutput<"appstream", "DescribeStacks">["Stacks"]>[number];
/** A Secure Browser portal as ListPortals returns it. */
export type Portal = NonNullable<OpOutput<"workspaces-web", "ListPortals">["portals"]>[number];
/** A WorkSpaces Core managed instance. */
export type Instance = NonNullable<
  OpOutput<"workspaces-instances", "ListWorkspaceInstances">["WorkspaceInstances"]
>[number];

/** The six resource kinds, in report order, with the service each belongs to. */
export const KINDS = [
  { kind: "workspaces", service: "personal", resource_type: "WorkSpace" },
  { kind: "pools", service: "pools", resource_type: "WorkSpacesPool" },
  { kind: "fleets", service: "applications", resource_type: "Fleet" },
  { kind: "stacks", service: "applications", resource_type: "Stack" },
  { kind: "portals", service: "secure-browser", resource_type: "Portal" },
  { kind: "instances", service: "core", resource_type: "ManagedInstance" },
] as const satisfies readonly { kind: string; service: ServiceId; resource_type: string }[];
/** One resource kind. */
export type Kind = typeof KINDS[number]["kind"];

/** What one region holds, per kind; a kind whose listing failed is absent (its error is in the Collection). */
export interface Listing {
  region: string;
  workspaces?: Workspace[];
  pools?: Pool[];
  fleets?: Fleet[];
  stacks?: Stack[];
  portals?: Portal[];
  instances?: Instance[];
}

/** The items of one kind in a listing, or undefined when that listing failed. */
export function itemsOf(listing: Listing, kind: Kind): unknown[] | undefined {
  return (listing as unknown as Record<string, unknown[] | undefined>)[kind];
}

async function listKind(aws: Aws, kind: Kind, region: string, signal: AbortSignal): Promise<unknown[]> {
  const o = { region, signal };
  switch (kind) {
    case "workspaces":
      return (await listWorkspaces(aws, region, signal)).workspaces;
    case "pools":
      return (await collectOnce(aws, "workspaces", "DescribeWorkspacesPools", {}, "WorkspacesPools", o)).items;
    case "fleets":
      return (await collectOnce(aws, "appstream", "DescribeFleets", {}, "Fleets", o)).items;
    case "stacks":
      return (await collectOnce(aws, "appstream", "DescribeStacks", {}, "Stacks", o)).items;
    case "portals":
      return (await collectOnce(aws, "workspaces-web", "ListPortals", {}, "portals", o)).items;
    case "instances":
      return (await collectOnce(aws, "workspaces-instances", "ListWorkspaceInstances", {}, "WorkspaceInstances", o))
        .items;
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
export async function listEstate(
  ctx: ToolContext,
  regions: string[],
  kinds: readonly Kind[],
  col: Collection,
): Promise<Listing[]> {
  const total = regions.length * kinds.length;
  let done = 0;
  return await forEachRegion(ctx, regions, async (region) => {
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

/** The kinds of the given services, in report order. */
export function kindsFor(services: readonly ServiceId[]): Kind[] {
  return KINDS.filter((k) => services.includes(k.service)).map((k) => k.kind);
}

/** The state of one item of a kind (stacks derive theirs). */
export function stateOf(kind: Kind, item: unknown): string | undefined {
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

/** Stacks have no state in the API: one with StackErrors is ERROR, any other existing stack ACTIVE. */
export function stackState(s: Stack): string {
  return (s.StackErrors ?? []).length > 0 ? "ERROR" : "ACTIVE";
}

/** The `services` filter input of the report and the CSV export. */
export const ServicesInput = z.union([z.string().max(200), z.array(z.string().max(60)).max(10)]).optional().describe(
  'Which services: "all" (default) or any of personal, pools, applications, secure-browser, core — comma-separated or a list. Legacy names work: "AppStream 2.0" = applications, "WorkSpaces Web" = secure-browser.',
);

/** Parses the `services` filter (aliases, case-insensitive) before any AWS call; keeps the order asked for. */
export function parseServices(value: string | string[] | undefined): ServiceId[] {
  return parseServiceList(value, SERVICE_IDS, (id) => id, {
    inputOrder: true,
    hint: `Use "all" or any of ${
      SERVICE_IDS.join(", ")
    } (legacy names such as "AppStream 2.0" and "WorkSpaces Web" are accepted).`,
  });
}
