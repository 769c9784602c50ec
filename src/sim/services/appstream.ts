/**
 * Amazon WorkSpaces Applications, the AppStream 2.0 API (awsJson1_1,
 * `PhotonAdminProxyService.<Op>`): fleets, stacks, their associations and tags.
 */
import type {
  DescribeFleetsResult,
  DescribeImagesResult,
  DescribeStacksResult,
  DescribeUsageReportSubscriptionsResult,
  Image,
  ListAssociatedFleetsResult,
  ListTagsForResourceResponse,
  PlatformType,
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

// ---------------------------------------------------------------- images (minimal, for fleet pricing)

/** The platform an image name implies (the simulator keeps no image catalogue of its own here). */
function imagePlatform(name: string): PlatformType {
  if (/amazon-?linux/i.test(name)) return "AMAZON_LINUX2";
  if (/rocky/i.test(name)) return "ROCKY_LINUX8";
  if (/rhel/i.test(name)) return "RHEL8";
  if (/ubuntu/i.test(name)) return "UBUNTU_PRO_2404";
  if (/server-?2019/i.test(name)) return "WINDOWS_SERVER_2019";
  if (/server-?2016/i.test(name)) return "WINDOWS_SERVER_2016";
  if (/win(dows)?[-_ ]?1[01]|byol/i.test(name)) return "WINDOWS";
  return "WINDOWS_SERVER_2022";
}

/** DescribeImages by Names or Arns: the AWS base images and the images the region's fleets use. */
function describeImages(ctx: OpContext): DescribeImagesResult {
  const { input, region } = ctx;
  const names = optStringList(input, "Names", 100);
  const arns = optStringList(input, "Arns", 100);
  if (names && arns) {
    throw new SimError("InvalidParameterCombinationException", "Names and Arns cannot be specified together.");
  }
  const known = new Map<string, Image>();
  const add = (name: string, visibility: "PUBLIC" | "PRIVATE") =>
    known.set(name, {
      Name: name,
      Arn: `arn:aws:appstream:${region.name}::image/${name}`,
      DisplayName: name,
      State: "AVAILABLE",
      Visibility: visibility,
      Platform: imagePlatform(name),
    });
  for (const n of ["AppStream-WinServer2022-09-24-2024", "AppStream-WinServer2019-09-24-2024"]) add(n, "PUBLIC");
  add("AppStream-AmazonLinux2-2024-09-19", "PUBLIC");
  for (const f of region.fleets.values()) if (f.ImageName && !known.has(f.ImageName)) add(f.ImageName, "PRIVATE");
  let items = [...known.values()];
  const wanted = names ?? arns;
  if (wanted) {
    const key = (i: Image) => (names ? i.Name : i.Arn);
    const missing = wanted.find((w) => !items.some((i) => key(i) === w));
    if (missing) throw new SimError("ResourceNotFoundException", `The image ${missing} does not exist.`);
    items = items.filter((i) => wanted.includes(key(i)!));
  }
  const page = paginate(items, {
    operation: "DescribeImages",
    token: optString(input, "NextToken"),
    size: PAGE,
    ...BAD_TOKEN,
  });
  return compact({ Images: page.items, NextToken: page.nextToken });
}

/** WorkSpaces Applications (AppStream 2.0) operations by name. */
export const operations: OperationTable = {
  DescribeUsageReportSubscriptions: describeUsageReportSubscriptions,
  DescribeFleets: describeFleets,
  DescribeImages: describeImages,
  DescribeStacks: describeStacks,
  ListAssociatedFleets: listAssociatedFleets,
  ListTagsForResource: listTagsForResource,
};
