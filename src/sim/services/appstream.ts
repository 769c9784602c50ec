/**
 * Amazon WorkSpaces Applications, the AppStream 2.0 API (awsJson1_1,
 * `PhotonAdminProxyService.<Op>`): fleets, stacks, their associations and tags.
 */
import type {
  DescribeAppBlockBuildersResult,
  DescribeFleetsResult,
  DescribeImageBuildersResult,
  DescribeImagesResult,
  DescribeSessionsResult,
  DescribeStacksResult,
  DescribeUsageReportSubscriptionsResult,
  DescribeUsersResult,
  DescribeUserStackAssociationsResult,
  Image,
  ListAssociatedFleetsResult,
  ListAssociatedStacksResult,
  ListTagsForResourceResponse,
  PlatformType,
} from "@aws-sdk/client-appstream";
import { publicAppImages } from "../data/governance.ts";
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
import { appstreamWrites } from "./appstream_writes.ts";
import { settling } from "./transitions.ts";

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

// ---------------------------------------------------------------- images, builders, user pool

const IMAGE_TYPES = ["PUBLIC", "PRIVATE", "SHARED"];
const INVALID_COMBINATION = "InvalidParameterCombinationException";

/** The platform an image name implies, for fleet images the scenario did not declare. */
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

/**
 * Every image of the region: those the scenario declared (PRIVATE and SHARED), the AWS base images
 * (PUBLIC), and any other image a fleet runs (a PRIVATE image with the platform its name implies),
 * so a fleet's image can always be looked up.
 */
function regionImages(region: OpContext["region"]): Image[] {
  const all = [...region.governance.appImages.values(), ...publicAppImages(region.name)];
  const known = new Set(all.map((i) => i.Name));
  for (const f of region.fleets.values()) {
    const name = f.ImageName;
    if (!name || known.has(name)) continue;
    known.add(name);
    all.push({
      Name: name,
      Arn: f.ImageArn ?? `arn:aws:appstream:${region.name}::image/${name}`,
      DisplayName: name,
      State: "AVAILABLE",
      Visibility: "PRIVATE",
      Platform: imagePlatform(name),
    });
  }
  return all;
}

/** An image ARN matches exactly, or by name when it has no account (the form the simulated fleets carry). */
function arnMatches(image: Image, arn: string): boolean {
  return image.Arn === arn || (arn.includes("::image/") && image.Name === arn.slice(arn.indexOf("::image/") + 8));
}

/** DescribeImages: the account's images (PRIVATE), those shared with it (SHARED) and the AWS base images (PUBLIC). */
function describeImages(ctx: OpContext): DescribeImagesResult {
  const { input, region } = ctx;
  const names = optStringList(input, "Names", 100);
  const arns = optStringList(input, "Arns", 100);
  const type = optString(input, "Type");
  if (type !== undefined && !IMAGE_TYPES.includes(type)) {
    throw new SimError(INVALID_COMBINATION, `The image type ${type} is not valid.`);
  }
  if (names && arns) throw new SimError(INVALID_COMBINATION, "Names and Arns cannot be specified together.");
  // AWS pages images 25 at a time (MaxResults 0..25; 0 means the default).
  const size = optInt(input, "MaxResults", 0, 25) || PAGE;
  const all = regionImages(region);
  let items = all;
  if (names) {
    const missing = names.find((n) => !all.some((i) => i.Name === n));
    if (missing) throw new SimError("ResourceNotFoundException", `The image ${missing} does not exist.`);
    items = all.filter((i) => names.includes(i.Name!));
  }
  if (arns) {
    const missing = arns.find((a) => !all.some((i) => arnMatches(i, a)));
    if (missing) throw new SimError("ResourceNotFoundException", `The image ${missing} does not exist.`);
    items = all.filter((i) => arns.some((a) => arnMatches(i, a)));
  }
  if (type) items = items.filter((i) => i.Visibility === type);
  const page = paginate(items, {
    operation: "DescribeImages",
    token: optString(input, "NextToken"),
    size,
    ...BAD_TOKEN,
  });
  return compact({ Images: page.items, NextToken: page.nextToken });
}

function describeImageBuilders(ctx: OpContext): DescribeImageBuildersResult {
  const { input, region } = ctx;
  const names = optStringList(input, "Names", 100);
  const items = byNames(region.governance.imageBuilders, names, "image builder");
  const page = paginate(items, {
    operation: "DescribeImageBuilders",
    token: optString(input, "NextToken"),
    size: optInt(input, "MaxResults", 1, 25) ?? PAGE,
    ...BAD_TOKEN,
  });
  return compact({ ImageBuilders: page.items, NextToken: page.nextToken });
}

function describeAppBlockBuilders(ctx: OpContext): DescribeAppBlockBuildersResult {
  const { input, region } = ctx;
  const names = optStringList(input, "Names", 100);
  const items = byNames(region.governance.appBlockBuilders, names, "app block builder");
  const page = paginate(items, {
    operation: "DescribeAppBlockBuilders",
    token: optString(input, "NextToken"),
    size: optInt(input, "MaxResults", 1, 25) ?? PAGE,
    ...BAD_TOKEN,
  });
  return compact({ AppBlockBuilders: page.items, NextToken: page.nextToken });
}

/** DescribeUsers lists only user-pool users: AuthenticationType must be USERPOOL. */
function describeUsers(ctx: OpContext): DescribeUsersResult {
  const { input, region } = ctx;
  const auth = reqString(input, "AuthenticationType");
  if (auth !== "USERPOOL") {
    throw new SimError(INVALID_COMBINATION, `Users with authentication type ${auth} cannot be described.`);
  }
  const page = paginate([...region.governance.appUsers.values()], {
    operation: "DescribeUsers",
    token: optString(input, "NextToken"),
    size: optInt(input, "MaxResults", 1, 500) ?? PAGE,
    ...BAD_TOKEN,
  });
  return compact({ Users: page.items, NextToken: page.nextToken });
}

/** By stack, or by user (which then needs its AuthenticationType); an unknown stack has no associations. */
function describeUserStackAssociations(ctx: OpContext): DescribeUserStackAssociationsResult {
  const { input, region } = ctx;
  const stack = optString(input, "StackName");
  const user = optString(input, "UserName");
  const auth = optString(input, "AuthenticationType");
  if (stack === undefined && user === undefined) {
    throw new SimError(INVALID_COMBINATION, "Specify a stack name, or a user name and authentication type.");
  }
  if (user !== undefined && auth === undefined) {
    throw new SimError(INVALID_COMBINATION, "A user name requires an authentication type.");
  }
  const items = region.governance.userStackAssociations.filter((a) =>
    (stack === undefined || a.StackName === stack) &&
    (user === undefined || a.UserName === user) &&
    (auth === undefined || a.AuthenticationType === auth)
  );
  const page = paginate(items, {
    operation: "DescribeUserStackAssociations",
    token: optString(input, "NextToken"),
    size: optInt(input, "MaxResults", 1, 500) ?? PAGE,
    ...BAD_TOKEN,
  });
  return compact({ UserStackAssociations: page.items, NextToken: page.nextToken });
}

/** WorkSpaces Applications (AppStream 2.0) operations by name. */
export const operations: OperationTable = settling({
  ...appstreamWrites,
  DescribeUsageReportSubscriptions: describeUsageReportSubscriptions,
  DescribeFleets: describeFleets,
  DescribeImages: describeImages,
  DescribeStacks: describeStacks,
  ListAssociatedFleets: listAssociatedFleets,
  ListTagsForResource: listTagsForResource,
  ListAssociatedStacks: listAssociatedStacks,
  DescribeSessions: describeSessions,
  DescribeImageBuilders: describeImageBuilders,
  DescribeAppBlockBuilders: describeAppBlockBuilders,
  DescribeUsers: describeUsers,
  DescribeUserStackAssociations: describeUserStackAssociations,
});
