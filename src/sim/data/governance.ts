/**
 * The simulated estate's governance data: WorkSpaces Applications images, image builders, app-block
 * builders and user-pool users; WorkSpaces images and their sharing; CloudTrail management events;
 * Service Quotas and the AWS/Usage metrics behind them. Stored in AWS SDK output shapes, like the
 * rest of the estate, and filled by the scenario builder's governance methods.
 */
import type {
  AppBlockBuilder,
  AppBlockBuilderPlatformType,
  AppBlockBuilderState,
  FleetErrorCode,
  Image,
  ImageBuilder,
  ImageBuilderState,
  ImageState,
  PlatformType,
  User,
  UserStackAssociation,
} from "@aws-sdk/client-appstream";
import type { OperatingSystemType, WorkspaceImage, WorkspaceImageState } from "@aws-sdk/client-workspaces";
import type { Event as TrailEvent } from "@aws-sdk/client-cloudtrail";
import { DAY, hash32, hashChars, HEX, MINUTE, stripUndefined, UPPER36, uuidFrom } from "../seed.ts";
import type { QuotaOverride, RegionResources } from "../types.ts";

/** One region's governance data. */
export class GovernanceData {
  /** WorkSpaces Applications images owned by (PRIVATE) or shared with (SHARED) the account, by name. */
  readonly appImages = new Map<string, Image>();
  /** WorkSpaces Applications image builders by name. */
  readonly imageBuilders = new Map<string, ImageBuilder>();
  /** WorkSpaces Applications app-block builders by name. */
  readonly appBlockBuilders = new Map<string, AppBlockBuilder>();
  /** WorkSpaces Applications user-pool users by user name (an email address). */
  readonly appUsers = new Map<string, User>();
  /** User-pool users assigned to stacks. */
  readonly userStackAssociations: UserStackAssociation[] = [];
  /** WorkSpaces images by ImageId: the account's own and those shared with it. */
  readonly workspaceImages = new Map<string, WorkspaceImage>();
  /** Accounts each owned WorkSpaces image is shared with, by ImageId. */
  readonly workspaceImageShares = new Map<string, string[]>();
  /** CloudTrail management events, any order (LookupEvents answers newest first). */
  readonly trailEvents: TrailEvent[] = [];
  /** Changes to the built-in quota catalogue, by `<service code>/<quota code>`. */
  readonly quotaOverrides = new Map<string, QuotaOverride>();
  /** Service codes that Service Quotas does not know in this region (NoSuchResourceException). */
  readonly quotaServicesUnavailable = new Set<string>();
}

/** What the governance builders write to: one region's name, account and governance data. */
export interface GovernanceRegion extends RegionResources {
  readonly governance: GovernanceData;
}

// ---------------------------------------------------------------- WorkSpaces Applications

/** Options of a WorkSpaces Applications image. */
export interface AppImageOpts {
  /** PRIVATE: owned by the account (default); SHARED: shared with it by another account. */
  visibility?: "PRIVATE" | "SHARED";
  state?: ImageState;
  platform?: PlatformType;
  /** "LATEST" (default) or a pinned agent version such as "1.1.1200". */
  agentVersion?: string;
  /** What AWS says about a pinned agent: true when it is still the newest release. */
  latestAgent?: boolean;
  created?: Date;
  /** Release date of the AWS base image the image was built from (default 60 days ago). */
  baseReleased?: Date;
  errors?: { code: string; message: string }[];
  applications?: string[];
  allowFleet?: boolean;
  allowImageBuilder?: boolean;
  /** An owned image that the account shares with other accounts. */
  sharedWithOthers?: boolean;
  /** Owning account of a SHARED image. */
  owner?: string;
  description?: string;
}

/** Options of a WorkSpaces Applications image builder. */
export interface ImageBuilderOpts {
  state?: ImageBuilderState;
  instanceType?: string;
  platform?: PlatformType;
  /** Name of the image it was launched from. */
  image?: string;
  agentVersion?: string;
  created?: Date;
  errors?: { code: string; message: string }[];
}

/** Options of a WorkSpaces Applications app-block builder. */
export interface AppBlockBuilderOpts {
  state?: AppBlockBuilderState;
  instanceType?: string;
  platform?: AppBlockBuilderPlatformType;
  created?: Date;
  errors?: { code: string; message: string }[];
}

/** Options of a WorkSpaces Applications user-pool user. */
export interface AppUserOpts {
  enabled?: boolean;
  /** UNCONFIRMED, CONFIRMED, ARCHIVED, COMPROMISED, UNKNOWN, RESET_REQUIRED or FORCE_CHANGE_PASSWORD. */
  status?: string;
  firstName?: string;
  lastName?: string;
  created?: Date;
  /** Stacks the user is assigned to. */
  stacks?: string[];
}

/** Adds an image (PRIVATE or SHARED) to the region. */
export function addAppImage(r: GovernanceRegion, name: string, o: AppImageOpts, now: number): void {
  const visibility = o.visibility ?? "PRIVATE";
  const owner = visibility === "SHARED" ? o.owner ?? "210987654321" : r.account;
  const platform = o.platform ?? "WINDOWS_SERVER_2022";
  const agent = o.agentVersion ?? "LATEST";
  const image: Image = {
    Name: name,
    Arn: `arn:aws:appstream:${r.name}:${owner}:image/${name}`,
    BaseImageArn: `arn:aws:appstream:${r.name}::image/${
      platform === "AMAZON_LINUX2" ? "AppStream-AmazonLinux2-2024-09-19" : "AppStream-WinServer2022-09-24-2024"
    }`,
    DisplayName: name,
    Description: o.description,
    State: o.state ?? "AVAILABLE",
    Visibility: visibility,
    ImageBuilderSupported: true,
    ImageBuilderName: visibility === "PRIVATE" ? `${name}-builder` : undefined,
    Platform: platform,
    Applications: (o.applications ?? ["Notepad++", "Firefox"]).map((a) => ({
      Name: a.replace(/[^A-Za-z0-9]/g, ""),
      DisplayName: a,
      Enabled: true,
      Platforms: [platform],
      InstanceFamilies: ["GENERAL_PURPOSE"],
    })),
    CreatedTime: o.created ?? new Date(now - 30 * DAY),
    PublicBaseImageReleasedDate: o.baseReleased ?? new Date(now - 60 * DAY),
    AppstreamAgentVersion: agent,
    ImagePermissions: visibility === "SHARED"
      ? { allowFleet: o.allowFleet ?? true, allowImageBuilder: o.allowImageBuilder ?? false }
      : undefined,
    ImageErrors: o.errors?.map((e) => ({
      ErrorCode: e.code as FleetErrorCode,
      ErrorMessage: e.message,
      ErrorTimestamp: new Date(now - DAY),
    })),
    LatestAppstreamAgentVersion: agent === "LATEST" || o.latestAgent ? "TRUE" : "FALSE",
    SupportedInstanceFamilies: ["GENERAL_PURPOSE", "MEMORY_OPTIMIZED", "COMPUTE_OPTIMIZED"],
    ImageSharedWithOthers: visibility === "PRIVATE" ? (o.sharedWithOthers ? "TRUE" : "FALSE") : undefined,
    ImageType: "NATIVE",
  };
  r.governance.appImages.set(name, stripUndefined(image));
}

/** Adds an image builder to the region. */
export function addImageBuilder(r: GovernanceRegion, name: string, o: ImageBuilderOpts, now: number): void {
  const platform = o.platform ?? "WINDOWS_SERVER_2022";
  const image = o.image ?? "AppStream-WinServer2022-09-24-2024";
  const builder: ImageBuilder = {
    Name: name,
    Arn: r.arn("appstream", `image-builder/${name}`),
    ImageArn: r.governance.appImages.get(image)?.Arn ?? `arn:aws:appstream:${r.name}::image/${image}`,
    DisplayName: name,
    VpcConfig: { SubnetIds: ["subnet-0a1b2c3d4e5f60718"], SecurityGroupIds: ["sg-0c5d7e9f1a2b3c4d5"] },
    InstanceType: o.instanceType ?? "stream.standard.large",
    Platform: platform,
    IamRoleArn: `arn:aws:iam::${r.account}:role/AppStreamImageBuilderRole`,
    State: o.state ?? "STOPPED",
    CreatedTime: o.created ?? new Date(now - 20 * DAY),
    EnableDefaultInternetAccess: false,
    NetworkAccessConfiguration: { EniPrivateIpAddress: `10.0.9.${(hash32(name) % 200) + 20}` },
    ImageBuilderErrors: o.errors?.map((e) => ({
      ErrorCode: e.code as FleetErrorCode,
      ErrorMessage: e.message,
      ErrorTimestamp: new Date(now - DAY),
    })),
    AppstreamAgentVersion: o.agentVersion ?? "LATEST",
  };
  r.governance.imageBuilders.set(name, stripUndefined(builder));
}

/** Adds an app-block builder to the region. */
export function addAppBlockBuilder(r: GovernanceRegion, name: string, o: AppBlockBuilderOpts, now: number): void {
  const builder: AppBlockBuilder = {
    Arn: r.arn("appstream", `app-block-builder/${name}`),
    Name: name,
    DisplayName: name,
    Platform: o.platform ?? "WINDOWS_SERVER_2019",
    InstanceType: o.instanceType ?? "stream.standard.large",
    EnableDefaultInternetAccess: false,
    VpcConfig: { SubnetIds: ["subnet-0a1b2c3d4e5f60718"], SecurityGroupIds: ["sg-0c5d7e9f1a2b3c4d5"] },
    State: o.state ?? "STOPPED",
    CreatedTime: o.created ?? new Date(now - 15 * DAY),
    AppBlockBuilderErrors: o.errors?.map((e) => ({
      ErrorCode: e.code as FleetErrorCode,
      ErrorMessage: e.message,
      ErrorTimestamp: new Date(now - DAY),
    })),
  };
  r.governance.appBlockBuilders.set(name, stripUndefined(builder));
}

/** Adds a user-pool user and their stack assignments. */
export function addAppUser(r: GovernanceRegion, userName: string, o: AppUserOpts, now: number): void {
  const user: User = {
    Arn: r.arn("appstream", `user/userpool/${userName}`),
    UserName: userName,
    Enabled: o.enabled ?? true,
    Status: o.status ?? "CONFIRMED",
    FirstName: o.firstName,
    LastName: o.lastName,
    CreatedTime: o.created ?? new Date(now - 100 * DAY),
    AuthenticationType: "USERPOOL",
  };
  r.governance.appUsers.set(userName, stripUndefined(user));
  for (const stack of o.stacks ?? []) {
    r.governance.userStackAssociations.push({ StackName: stack, UserName: userName, AuthenticationType: "USERPOOL" });
  }
}

/** The AWS-provided base images every region offers (DescribeImages Type PUBLIC). */
export function publicAppImages(region: string): Image[] {
  const base = (name: string, platform: PlatformType, released: string): Image => ({
    Name: name,
    Arn: `arn:aws:appstream:${region}::image/${name}`,
    DisplayName: name,
    State: "AVAILABLE",
    Visibility: "PUBLIC",
    ImageBuilderSupported: true,
    Platform: platform,
    Description: "Base image provided by AWS",
    CreatedTime: new Date(released),
    PublicBaseImageReleasedDate: new Date(released),
    AppstreamAgentVersion: "1.1.1400",
    LatestAppstreamAgentVersion: "FALSE",
    ImageType: "NATIVE",
  });
  return [
    base("AppStream-WinServer2022-09-24-2024", "WINDOWS_SERVER_2022", "2024-09-24T00:00:00Z"),
    base("AppStream-WinServer2019-09-24-2024", "WINDOWS_SERVER_2019", "2024-09-24T00:00:00Z"),
    base("AppStream-AmazonLinux2-2024-09-19", "AMAZON_LINUX2", "2024-09-19T00:00:00Z"),
  ];
}

// ---------------------------------------------------------------- WorkSpaces images

/** Options of a WorkSpaces image. */
export interface WorkspaceImageOpts {
  name?: string;
  description?: string;
  state?: WorkspaceImageState;
  os?: OperatingSystemType;
  created?: Date;
  /** Owning account; default the estate's (an owned image), another id makes it shared with the account. */
  owner?: string;
  /** Accounts an owned image is shared with. */
  sharedWith?: string[];
  errorCode?: string;
  errorMessage?: string;
  updateAvailable?: boolean;
  dedicated?: boolean;
}

/** Adds a WorkSpaces image to the region. */
export function addWorkspaceImage(r: GovernanceRegion, id: string, o: WorkspaceImageOpts, now: number): void {
  const image: WorkspaceImage = {
    ImageId: id,
    Name: o.name ?? `image-${id.slice(4)}`,
    Description: o.description ?? "Custom image",
    OperatingSystem: { Type: o.os ?? "WINDOWS" },
    State: o.state ?? "AVAILABLE",
    RequiredTenancy: o.dedicated ? "DEDICATED" : "DEFAULT",
    ErrorCode: o.errorCode,
    ErrorMessage: o.errorMessage,
    Created: o.created ?? new Date(now - 40 * DAY),
    OwnerAccountId: o.owner ?? r.account,
    Updates: o.updateAvailable === undefined
      ? undefined
      : { UpdateAvailable: o.updateAvailable, Description: o.updateAvailable ? "WorkSpaces agent update" : undefined },
  };
  r.governance.workspaceImages.set(id, stripUndefined(image));
  if (o.sharedWith?.length) r.governance.workspaceImageShares.set(id, [...o.sharedWith]);
}

// ---------------------------------------------------------------- CloudTrail

/** Options of one CloudTrail management event. */
export interface TrailEventOpts {
  /** API operation, e.g. TerminateWorkspaces. */
  name: string;
  /** Event source, e.g. workspaces.amazonaws.com. */
  source: string;
  /** When it happened; default `minutesAgo` before build time. */
  time?: Date;
  minutesAgo?: number;
  /** IAM user name or role session name (default "admin"). */
  user?: string;
  userType?: "IAMUser" | "AssumedRole" | "Root" | "AWSService";
  /** Default: true for Describe/List/Get names. */
  readOnly?: boolean;
  errorCode?: string;
  errorMessage?: string;
  resources?: { type: string; name: string }[];
  sourceIp?: string;
  requestParameters?: Record<string, unknown>;
  /** Stable event id (default derived from the other fields). */
  id?: string;
}

/** Noise: `count` management write events of services outside EUC, one every `everyMinutes`. */
export interface TrailNoiseOpts {
  /** Newest noise event this many minutes before build time (default 1). */
  startMinutesAgo?: number;
  /** Spacing between events (default 2 minutes). */
  everyMinutes?: number;
}

const NOISE: readonly [string, string, string][] = [
  ["ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance"],
  ["logs.amazonaws.com", "CreateLogStream", "AWS::Logs::LogGroup"],
  ["lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function"],
  ["ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter"],
  ["kms.amazonaws.com", "GenerateDataKey", "AWS::KMS::Key"],
  ["autoscaling.amazonaws.com", "SetDesiredCapacity", "AWS::AutoScaling::AutoScalingGroup"],
  ["ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service"],
  ["cloudformation.amazonaws.com", "UpdateStack", "AWS::CloudFormation::Stack"],
];

/** Adds one event to the region. */
export function addTrailEvent(r: GovernanceRegion, o: TrailEventOpts, now: number): void {
  const time = o.time ?? new Date(now - (o.minutesAgo ?? 5) * MINUTE);
  const user = o.user ?? "admin";
  const type = o.userType ?? "AssumedRole";
  const readOnly = o.readOnly ?? /^(Describe|List|Get|Lookup)/.test(o.name);
  const id = o.id ?? uuidFrom(`${r.name}/${o.source}/${o.name}/${time.getTime()}/${user}/${o.errorCode ?? ""}`);
  const accessKey = `ASIA${hashChars(user, 16, UPPER36)}`;
  const arn = type === "IAMUser"
    ? `arn:aws:iam::${r.account}:user/${user}`
    : type === "Root"
    ? `arn:aws:iam::${r.account}:root`
    : `arn:aws:sts::${r.account}:assumed-role/AdminRole/${user}`;
  const identity: Record<string, unknown> = type === "AWSService" ? { type, invokedBy: user } : {
    type,
    principalId: `AROA${hashChars(user + "p", 17, UPPER36)}${type === "AssumedRole" ? `:${user}` : ""}`,
    arn,
    accountId: r.account,
    accessKeyId: accessKey,
    ...(type === "IAMUser" ? { userName: user } : {}),
    ...(type === "AssumedRole"
      ? {
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            principalId: `AROA${hashChars(user + "p", 17, UPPER36)}`,
            arn: `arn:aws:iam::${r.account}:role/AdminRole`,
            accountId: r.account,
            userName: "AdminRole",
          },
          attributes: { creationDate: iso(new Date(time.getTime() - 30 * MINUTE)), mfaAuthenticated: "false" },
        },
      }
      : {}),
  };
  const record = {
    eventVersion: "1.09",
    userIdentity: identity,
    eventTime: iso(time),
    eventSource: o.source,
    eventName: o.name,
    awsRegion: r.name,
    sourceIPAddress: o.sourceIp ?? (type === "AWSService" ? user : "203.0.113.10"),
    userAgent: "aws-cli/2.15.0 Python/3.11.6",
    ...(o.errorCode ? { errorCode: o.errorCode, errorMessage: o.errorMessage ?? o.errorCode } : {}),
    requestParameters: o.requestParameters ?? null,
    responseElements: null,
    requestID: uuidFrom(`${id}/request`),
    eventID: id,
    readOnly,
    resources: o.resources?.map((x) => ({ accountId: r.account, type: x.type, ARN: x.name })),
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: r.account,
    eventCategory: "Management",
  };
  r.governance.trailEvents.push(stripUndefined({
    EventId: id,
    EventName: o.name,
    ReadOnly: String(readOnly),
    AccessKeyId: type === "AWSService" ? undefined : accessKey,
    EventTime: time,
    EventSource: o.source,
    Username: type === "AWSService" ? user : type === "Root" ? "root" : user,
    Resources: o.resources?.map((x) => ({ ResourceType: x.type, ResourceName: x.name })) ?? [],
    CloudTrailEvent: JSON.stringify(record),
  }));
}

/** Adds `count` non-EUC write events, newest first from `startMinutesAgo`, one every `everyMinutes`. */
export function addTrailNoise(r: GovernanceRegion, count: number, o: TrailNoiseOpts, now: number): void {
  const start = o.startMinutesAgo ?? 1;
  const every = o.everyMinutes ?? 2;
  for (let i = 0; i < count; i++) {
    const [source, name, type] = NOISE[i % NOISE.length];
    addTrailEvent(r, {
      name,
      source,
      minutesAgo: start + i * every,
      user: i % 3 === 0 ? "ci-deployer" : "platform-automation",
      resources: [{ type, name: `${type.split("::")[2].toLowerCase()}-${hashChars(`${i}`, 6, HEX)}` }],
      readOnly: false,
      id: uuidFrom(`${r.name}/noise/${i}/${now}`),
    }, now);
  }
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
