/**
 * Amazon WorkSpaces Applications, the AppStream 2.0 API (awsJson1_1,
 * `PhotonAdminProxyService.<Op>`): fleets, stacks, their associations and tags.
 */
import type {
  DescribeFleetsResult,
  DescribeStacksResult,
  DescribeUsageReportSubscriptionsResult,
  ListAssociatedFleetsResult,
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

function describeUsageReportSubscriptions(ctx: OpContext): DescribeUsageReportSubscriptionsResult {
  const { input, region } = ctx;
  const size = optInt(input, "MaxResults", 1, 100) ?? PAGE;
  const page = paginate(region.security.usageReports, {
    operation: "DescribeUsageReportSubscriptions",
    token: optString(input, "NextToken"),
    size,
    ...BAD_TOKEN,
  });
  return compact({ UsageReportSubscriptions: page.items, NextToken: page.nextToken });
}

/** WorkSpaces Applications (AppStream 2.0) operations by name. */
export const operations: OperationTable = {
  DescribeUsageReportSubscriptions: describeUsageReportSubscriptions,
  DescribeFleets: describeFleets,
  DescribeStacks: describeStacks,
  ListAssociatedFleets: listAssociatedFleets,
  ListTagsForResource: listTagsForResource,
};
