/**
 * Amazon WorkSpaces Applications, the AppStream 2.0 API (awsJson1_1,
 * `PhotonAdminProxyService.<Op>`): fleets, stacks, their associations and tags.
 */
import type {
  DescribeFleetsResult,
  DescribeSessionsResult,
  DescribeStacksResult,
  ListAssociatedFleetsResult,
  ListAssociatedStacksResult,
  ListTagsForResourceResponse,
} from "@aws-sdk/client-appstream";
import {
  compact,
  type OpContext,
  type OperationTable,
  optInt,
  optString,
  optStringList,
  paginate,
  reqString,
  SimError,
} from "./common.ts";

// The AppStream API takes no page size for these calls; 25 per page keeps pagination honest.
const PAGE = 25;
const BAD_TOKEN = {
  invalidTokenCode: "InvalidParameterCombinationException",
};

/** All items, or the named ones; AWS fails the whole call when one named item is missing. */
function byNames<T>(all: Map<string, T>, names: string[] | undefined, kind: string): T[] {
  if (!names) return [...all.values()];
  const missing = names.find((n) => !all.has(n));
  if (missing) throw new SimError("ResourceNotFoundException", `The ${kind} ${missing} does not exist.`);
  return names.map((n) => all.get(n)!);
}

function describeFleets(ctx: OpContext): DescribeFleetsResult {
  const { input, region } = ctx;
  const names = optStringList(input, "Names", 100);
  const items = byNames(region.fleets, names, "fleet");
  const page = paginate(items, {
    operation: "DescribeFleets",
    token: optString(input, "NextToken"),
    size: PAGE,
    ...BAD_TOKEN,
  });
  return compact({ Fleets: page.items, NextToken: page.nextToken });
}

function describeStacks(ctx: OpContext): DescribeStacksResult {
  const { input, region } = ctx;
  const names = optStringList(input, "Names", 100);
  const items = byNames(region.stacks, names, "stack");
  const page = paginate(items, {
    operation: "DescribeStacks",
    token: optString(input, "NextToken"),
    size: PAGE,
    ...BAD_TOKEN,
  });
  return compact({ Stacks: page.items, NextToken: page.nextToken });
}

function listAssociatedFleets(ctx: OpContext): ListAssociatedFleetsResult {
  const { input, region } = ctx;
  const stackName = reqString(input, "StackName");
  if (!region.stacks.has(stackName)) {
    throw new SimError(
      "ResourceNotFoundException",
      `The stack ${stackName} does not exist.`,
    );
  }
  const page = paginate(region.stackFleets.get(stackName) ?? [], {
    operation: "ListAssociatedFleets",
    token: optString(input, "NextToken"),
    size: PAGE,
    ...BAD_TOKEN,
  });
  return compact({ Names: page.items, NextToken: page.nextToken });
}

function listTagsForResource(ctx: OpContext): ListTagsForResourceResponse {
  const { input, region } = ctx;
  const arn = reqString(input, "ResourceArn");
  const known = region.appstreamTags.has(arn) ||
    [...region.fleets.values()].some((f) => f.Arn === arn) ||
    [...region.stacks.values()].some((s) => s.Arn === arn);
  if (!known) {
    throw new SimError(
      "ResourceNotFoundException",
      `The resource ${arn} does not exist.`,
    );
  }
  return { Tags: { ...region.appstreamTags.get(arn) } };
}

// ---- live sessions (utilization toolset)

function listAssociatedStacks(ctx: OpContext): ListAssociatedStacksResult {
  const { input, region } = ctx;
  const fleetName = reqString(input, "FleetName");
  if (!region.fleets.has(fleetName)) {
    throw new SimError("ResourceNotFoundException", `The fleet ${fleetName} does not exist.`);
  }
  const stacks = [...region.stackFleets.entries()].filter(([, fleets]) => fleets.includes(fleetName))
    .map(([stack]) => stack);
  const page = paginate(stacks, {
    operation: "ListAssociatedStacks",
    token: optString(input, "NextToken"),
    size: PAGE,
    ...BAD_TOKEN,
  });
  return compact({ Names: page.items, NextToken: page.nextToken });
}

// AWS: "The size of each page of results. The default value is 20 and the maximum value is 50."
const SESSIONS_PAGE = 20;

function describeSessions(ctx: OpContext): DescribeSessionsResult {
  const { input, region } = ctx;
  const stackName = reqString(input, "StackName");
  const fleetName = reqString(input, "FleetName");
  const userId = optString(input, "UserId");
  const limit = optInt(input, "Limit", 1, 50) ?? SESSIONS_PAGE;
  const sessions = (region.fleetSessions.get(fleetName) ?? []).filter((s) =>
    s.StackName === stackName && (userId === undefined || s.UserId === userId)
  );
  const page = paginate(sessions, {
    operation: "DescribeSessions",
    token: optString(input, "NextToken"),
    size: limit,
    ...BAD_TOKEN,
  });
  return compact({ Sessions: page.items, NextToken: page.nextToken });
}

/** WorkSpaces Applications (AppStream 2.0) operations by name. */
export const operations: OperationTable = {
  DescribeFleets: describeFleets,
  DescribeStacks: describeStacks,
  ListAssociatedFleets: listAssociatedFleets,
  ListTagsForResource: listTagsForResource,
  ListAssociatedStacks: listAssociatedStacks,
  DescribeSessions: describeSessions,
};
