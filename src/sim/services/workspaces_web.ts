/**
 * Amazon WorkSpaces Secure Browser (restJson1): operations are selected by method and path;
 * members are camelCase; list calls take `maxResults` / `nextToken` query parameters.
 */
import type { ListPortalsResponse, ListTagsForResourceResponse, PortalSummary } from "@aws-sdk/client-workspaces-web";
import {
  compact,
  type OpContext,
  type OperationTable,
  optInt,
  optString,
  paginate,
  reqString,
  type RestRoute,
  SimError,
} from "./common.ts";

/** The routes of the operations answered, from the SDK's serializers (`@http` traits). */
export const routes: readonly RestRoute[] = [
  { method: "GET", path: /^\/portals\/?$/, operation: "ListPortals" },
  {
    // `{resourceArn+}` is a greedy label: the ARN's "/" arrives unescaped, ":" as %3A.
    method: "GET",
    path: /^\/tags\/(?<resourceArn>.+)$/,
    operation: "ListTagsForResource",
  },
];

// maxResults has no documented maximum; the service pages at 100 at most.
const MAX_PAGE = 100;
const NOT_FOUND = 404;

function listPortals(ctx: OpContext): ListPortalsResponse {
  const { input, region } = ctx;
  const size = optInt(input, "maxResults", 1, Number.MAX_SAFE_INTEGER) ??
    MAX_PAGE;
  const portals: PortalSummary[] = [...region.portals.values()].map((p) => {
    // PortalSummary is Portal without the encryption and status-reason members.
    const {
      statusReason: _s,
      customerManagedKey: _k,
      additionalEncryptionContext: _c,
      ...summary
    } = p;
    return summary;
  });
  const page = paginate(portals, {
    operation: "ListPortals",
    token: optString(input, "nextToken"),
    size: Math.min(size, MAX_PAGE),
    invalidTokenCode: "ValidationException",
  });
  return compact({ portals: page.items, nextToken: page.nextToken });
}

function listTagsForResource(ctx: OpContext): ListTagsForResourceResponse {
  const { input, region } = ctx;
  const arn = reqString(input, "resourceArn");
  if (!region.portals.has(arn) && !region.webTags.has(arn)) {
    throw new SimError(
      "ResourceNotFoundException",
      `Resource ${arn} not found.`,
      NOT_FOUND,
    );
  }
  return { tags: region.webTags.get(arn) ?? [] };
}

/** WorkSpaces Secure Browser operations by name. */
export const operations: OperationTable = {
  ListPortals: listPortals,
  ListTagsForResource: listTagsForResource,
};
