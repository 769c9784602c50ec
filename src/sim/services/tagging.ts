/**
 * Resource Groups Tagging API (awsJson1_1, `ResourceGroupsTaggingAPI_20170126.<Op>`): GetResources over the
 * simulated WorkSpaces desktops' tags. Like AWS it returns only resources that carry tags, up to 100 a page, and
 * ends with an empty PaginationToken.
 */
import type { GetResourcesOutput, ResourceTagMapping } from "@aws-sdk/client-resource-groups-tagging-api";
import { type OpContext, type OperationTable, optInt, optString, paginate, SimError } from "./common.ts";

const MAX_PAGE = 100;

function getResources(ctx: OpContext): GetResourcesOutput {
  const { input, region } = ctx;
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
      const tags = region.tags.get(id);
      if (!tags || tags.length === 0) continue;
      items.push({
        ResourceARN: region.arn("workspaces", `workspace/${id}`),
        Tags: tags.map((t) => ({ Key: t.Key ?? "", Value: t.Value ?? "" })),
      });
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

/** Resource Groups Tagging API operations by name. */
export const operations: OperationTable = {
  GetResources: getResources,
};
