/**
 * Resource Groups Tagging API (awsJson1_1, `ResourceGroupsTaggingAPI_20170126.<Op>`): GetResources over the
 * simulated WorkSpaces desktops' tags. Like AWS it returns only resources that carry tags, up to 100 a page, and
 * ends with an empty PaginationToken.
 */
import type { GetResourcesOutput, ResourceTagMapping } from "@aws-sdk/client-resource-groups-tagging-api";
import { type OpContext, type OperationTable, optInt, optString, paginate, SimError } from "./common.ts";

const MAX_PAGE = 100;

/** ARNs ResourceARNList takes (1–100, API reference). */
const MAX_ARNS = 100;

function getResources(ctx: OpContext): GetResourcesOutput {
  const { input, region } = ctx;
  if (input.ResourceARNList !== undefined) return byArn(ctx);
  const types = input.ResourceTypeFilters as string[] | undefined;
  const size = optInt(input, "ResourcesPerPage", 1, MAX_PAGE, "InvalidParameterException") ?? MAX_PAGE;
  const filters = (input.TagFilters as { Key?: string; Values?: string[] }[] | undefined) ?? [];
  if (types && types.some((t) => typeof t !== "string")) {
    throw new SimError("InvalidParameterException", "ResourceTypeFilters must be strings.");
  }
  const wantsDesktops = !types || types.length === 0 ||
    types.some((t) => t === "workspaces" || t === "workspaces:workspace");
  let items: ResourceTagMapping[] = [];
  if (wantsDesktops) {
    for (const id of region.workspaces.keys()) {
      const m = tagged(region, id);
      if (m) items.push(m);
    }
  }
  for (const f of filters) {
    items = items.filter((m) =>
      (m.Tags ?? []).some((t) => t.Key === f.Key && (!f.Values?.length || f.Values.includes(t.Value ?? "")))
    );
  }
  const token = optString(input, "PaginationToken");
  const page = paginate(items, {
    operation: "GetResources",
    token: token === "" ? undefined : token,
    size,
    invalidTokenCode: "PaginationTokenExpiredException",
  });
  return { ResourceTagMappingList: page.items, PaginationToken: page.nextToken ?? "" };
}

/**
 * GetResources with ResourceARNList: the tagged resources among the ARNs, no pagination. AWS refuses it
 * beside ResourceTypeFilters, TagFilters or any pagination parameter, and takes 1–100 ARNs; an ARN of
 * a resource that does not exist is left out, not an error.
 */
function byArn(ctx: OpContext): GetResourcesOutput {
  const { input, region } = ctx;
  const arns = input.ResourceARNList;
  for (const other of ["ResourceTypeFilters", "TagFilters", "ResourcesPerPage", "TagsPerPage", "PaginationToken"]) {
    if (input[other] !== undefined) {
      throw new SimError("InvalidParameterException", `ResourceARNList cannot be combined with ${other}.`);
    }
  }
  if (!Array.isArray(arns) || arns.length < 1 || arns.length > MAX_ARNS || arns.some((a) => typeof a !== "string")) {
    throw new SimError("InvalidParameterException", `ResourceARNList must hold 1 to ${MAX_ARNS} ARNs.`);
  }
  const items: ResourceTagMapping[] = [];
  const prefix = region.arn("workspaces", "workspace/");
  for (const arn of new Set(arns as string[])) {
    const id = arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
    const m = id && region.workspaces.has(id) ? tagged(region, id) : undefined;
    if (m) items.push(m);
  }
  return { ResourceTagMappingList: items, PaginationToken: "" };
}

/** A desktop's ARN and tags as GetResources lists them; undefined when it carries no tag. */
function tagged(region: OpContext["region"], id: string): ResourceTagMapping | undefined {
  const tags = region.tags.get(id);
  if (!tags || tags.length === 0) return undefined;
  return {
    ResourceARN: region.arn("workspaces", `workspace/${id}`),
    Tags: tags.map((t) => ({ Key: t.Key ?? "", Value: t.Value ?? "" })),
  };
}

/** Resource Groups Tagging API operations by name. */
export const operations: OperationTable = {
  GetResources: getResources,
};
