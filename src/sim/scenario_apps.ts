/**
 * The scenario builder's other services: WorkSpaces Applications fleets (with their scaling
 * activities), stacks and streaming sessions, WorkSpaces Secure Browser portals, and WorkSpaces Core
 * managed instances with the EC2 instances behind them. Scenario.build() calls these.
 */
import type {
  Action,
  Fleet,
  FleetErrorCode,
  FleetState,
  FleetType,
  Permission,
  PlatformType,
  SessionConnectionState,
  SessionState,
  Stack,
} from "@aws-sdk/client-appstream";
import type {
  _InstanceType as WebInstanceType,
  AuthenticationType,
  Portal,
  PortalStatus,
  Tag as WebTag,
} from "@aws-sdk/client-workspaces-web";
import type { ProvisionStateEnum } from "@aws-sdk/client-workspaces-instances";
import type { _InstanceType as Ec2InstanceType, Instance, InstanceStateName } from "@aws-sdk/client-ec2";
import type { ScalingActivity, ScalingActivityStatusCode } from "@aws-sdk/client-application-auto-scaling";
import type { PortalWebOpts } from "./data/security.ts";
import type { RegionEstate } from "./region.ts";
import {
  BASE_TIME,
  DAY,
  hashChars,
  HEX,
  HOUR,
  ipFor,
  stripUndefined,
  SUBNETS,
  tagList,
  uuidFrom,
  VPC,
} from "./seed.ts";

/** Options of a WorkSpaces Applications fleet. */
export interface FleetOpts {
  state?: FleetState;
  instanceType?: string;
  fleetType?: FleetType;
  platform?: PlatformType;
  image?: string;
  desired?: number;
  running?: number;
  inUse?: number;
  available?: number;
  maxSessionsPerInstance?: number;
  displayName?: string;
  description?: string;
  errors?: { code: string; message: string }[];
  tags?: Record<string, string>;
  /** Application Auto Scaling activities on the fleet's DesiredCapacity. */
  scalingActivities?: ScalingActivityOpts[];
  /** Session requests refused for lack of capacity per day (AWS/AppStream InsufficientCapacityError). */
  insufficientCapacityErrorsPerDay?: number;
}

/** One Application Auto Scaling activity. */
export interface ScalingActivityOpts {
  status: ScalingActivityStatusCode;
  /** When it started. */
  hoursAgo: number;
  /** Desired capacity before and after (default: the fleet's desired, and one more). */
  from?: number;
  to?: number;
  message?: string;
  cause?: string;
}

/** Options of one WorkSpaces Applications streaming session. */
export interface FleetSessionOpts {
  /** The stack the user streams through (default: the first stack associated with the fleet). */
  stack?: string;
  state?: SessionState;
  connectionState?: SessionConnectionState;
  /** Minutes since the session started (default 30). */
  startedMinutesAgo?: number;
}

/** Options of a WorkSpaces Applications stack. */
export interface StackOpts {
  fleets?: string[];
  userSettings?: { action: Action; permission: Permission }[];
  description?: string;
  displayName?: string;
  tags?: Record<string, string>;
}

/** Options of a WorkSpaces Secure Browser portal. */
export interface PortalOpts {
  status?: PortalStatus;
  browserType?: "Chrome";
  authType?: AuthenticationType;
  /** Whether an IP access settings resource is associated (default true). */
  ipAccessSettings?: boolean;
  /** Whether user access logging settings are associated (default true). */
  logging?: boolean;
  instanceType?: WebInstanceType;
  maxConcurrentSessions?: number;
  displayName?: string;
  statusReason?: string;
  tags?: Record<string, string>;
  /** Its settings objects, identity providers and sessions (see data/security.ts). */
  web?: PortalWebOpts;
}

/** Options of a WorkSpaces Core managed instance and its EC2 instance. */
export interface ManagedInstanceOpts {
  provisionState?: ProvisionStateEnum;
  ec2InstanceId?: string;
  instanceType?: string;
  ec2State?: InstanceStateName;
  platformDetails?: string;
  ip?: string;
  launchTime?: Date;
  tags?: Record<string, string>;
}

const ALL_ENABLED: Action[] = [
  "CLIPBOARD_COPY_FROM_LOCAL_DEVICE",
  "CLIPBOARD_COPY_TO_LOCAL_DEVICE",
  "FILE_UPLOAD",
  "FILE_DOWNLOAD",
  "PRINTING_TO_LOCAL_DEVICE",
  "DOMAIN_PASSWORD_SIGNIN",
];
const EC2_STATE_CODE: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export function addFleet(r: RegionEstate, name: string, o: FleetOpts): void {
  const state = o.state ?? "RUNNING";
  const fleetType = o.fleetType ?? "ON_DEMAND";
  const desired = o.desired ?? 2;
  const running = o.running ?? (state === "RUNNING" ? desired : 0);
  const inUse = o.inUse ?? 0;
  const available = o.available ?? Math.max(0, running - inUse);
  const multi = o.maxSessionsPerInstance;
  const platform = o.platform ?? "WINDOWS_SERVER_2022";
  const image = o.image ??
    (platform === "AMAZON_LINUX2" ? "AppStream-AmazonLinux2-2024-09-19" : "AppStream-WinServer2022-09-24-2024");
  const fleet: Fleet = {
    Arn: r.arn("appstream", `fleet/${name}`),
    Name: name,
    DisplayName: o.displayName ?? name,
    Description: o.description,
    ImageName: image,
    ImageArn: `arn:aws:appstream:${r.name}::image/${image}`,
    InstanceType: o.instanceType ?? "stream.standard.medium",
    FleetType: fleetType,
    ComputeCapacityStatus: stripUndefined({
      Desired: desired,
      Running: running,
      InUse: inUse,
      Available: available,
      DesiredUserSessions: multi ? desired * multi : undefined,
      ActualUserSessions: multi ? running * multi : undefined,
      ActiveUserSessions: multi ? inUse : undefined,
      AvailableUserSessions: multi ? running * multi - inUse : undefined,
    }),
    MaxUserDurationInSeconds: 57600,
    DisconnectTimeoutInSeconds: 900,
    IdleDisconnectTimeoutInSeconds: 900,
    State: state,
    VpcConfig: fleetType === "ELASTIC"
      ? { SubnetIds: [...SUBNETS] }
      : { SubnetIds: [...SUBNETS], SecurityGroupIds: ["sg-0c5d7e9f1a2b3c4d5"] },
    CreatedTime: new Date(BASE_TIME - 120 * DAY),
    FleetErrors: o.errors?.map((e) => ({
      ErrorCode: e.code as FleetErrorCode,
      ErrorMessage: e.message,
    })) ?? [],
    EnableDefaultInternetAccess: false,
    IamRoleArn: `arn:aws:iam::${r.account}:role/AppStreamFleetRole`,
    StreamView: "APP",
    Platform: platform,
    MaxConcurrentSessions: fleetType === "ELASTIC" ? desired : undefined,
    MaxSessionsPerInstance: multi,
  };
  r.fleets.set(name, stripUndefined(fleet));
  if (o.tags) r.appstreamTags.set(fleet.Arn!, { ...o.tags });
  addFleetScaling(r, name, o, desired);
}

export function addStack(r: RegionEstate, name: string, o: StackOpts): void {
  const stack: Stack = {
    Arn: r.arn("appstream", `stack/${name}`),
    Name: name,
    Description: o.description,
    DisplayName: o.displayName ?? name,
    CreatedTime: new Date(BASE_TIME - 120 * DAY),
    StorageConnectors: [{ ConnectorType: "HOMEFOLDERS" }],
    StackErrors: [],
    UserSettings: o.userSettings?.map((s) => ({
      Action: s.action,
      Permission: s.permission,
    })) ?? ALL_ENABLED.map((a) => ({ Action: a, Permission: "ENABLED" })),
    ApplicationSettings: { Enabled: false },
    StreamingExperienceSettings: { PreferredProtocol: "TCP" },
  };
  r.stacks.set(name, stripUndefined(stack));
  r.stackFleets.set(name, [...(o.fleets ?? [])]);
  if (o.tags) r.appstreamTags.set(stack.Arn!, { ...o.tags });
}

export function addFleetSession(r: RegionEstate, fleet: string, user: string, o: FleetSessionOpts, now: Date): void {
  const stack = o.stack ?? [...r.stackFleets.entries()].find(([, fleets]) => fleets.includes(fleet))?.[0] ?? "";
  const list = r.fleetSessions.get(fleet) ?? [];
  const start = now.getTime() - (o.startedMinutesAgo ?? 30) * 60_000;
  list.push({
    Id: uuidFrom(`${fleet}/${user}/${list.length}`),
    UserId: user,
    StackName: stack,
    FleetName: fleet,
    State: o.state ?? "ACTIVE",
    ConnectionState: o.connectionState ?? "CONNECTED",
    StartTime: new Date(start),
    MaxExpirationTime: new Date(start + 16 * 3_600_000),
    AuthenticationType: "SAML",
    InstanceId: `i-0${hashChars(`${fleet}/${user}`, 16, HEX)}`,
  });
  r.fleetSessions.set(fleet, list);
}

export function addPortal(r: RegionEstate, id: string, o: PortalOpts): void {
  const arn = r.arn("workspaces-web", `portal/${id}`);
  const status = o.status ?? "Active";
  const complete = status !== "Incomplete";
  const setting = (kind: string) => r.arn("workspaces-web", `${kind}/${uuidFrom(`${id}/${kind}`)}`);
  const portal: Portal = {
    portalArn: arn,
    rendererType: "AppStream",
    browserType: o.browserType ?? "Chrome",
    portalStatus: status,
    portalEndpoint: `${hashChars(id, 8, HEX)}.workspaces-web.com`,
    displayName: o.displayName ?? `Portal ${id.slice(0, 8)}`,
    creationDate: new Date(BASE_TIME - 60 * DAY),
    browserSettingsArn: complete ? setting("browserSettings") : undefined,
    userSettingsArn: complete ? setting("userSettings") : undefined,
    networkSettingsArn: complete ? setting("networkSettings") : undefined,
    trustStoreArn: undefined,
    statusReason: o.statusReason,
    userAccessLoggingSettingsArn: o.logging ?? true ? setting("userAccessLoggingSettings") : undefined,
    authenticationType: o.authType ?? "Standard",
    ipAccessSettingsArn: o.ipAccessSettings ?? true ? setting("ipAccessSettings") : undefined,
    instanceType: o.instanceType ?? "standard.regular",
    maxConcurrentSessions: o.maxConcurrentSessions ?? 25,
  };
  r.portals.set(arn, stripUndefined(portal));
  if (o.tags) r.webTags.set(arn, tagList(o.tags) as WebTag[]);
}

export function addManagedInstance(
  r: RegionEstate,
  id: string,
  o: ManagedInstanceOpts,
  n: number,
): void {
  const instanceId = o.ec2InstanceId ?? `i-0${hashChars(id, 16, HEX)}`;
  const state = o.ec2State ?? "running";
  const ip = o.ip ?? ipFor(n);
  const platformDetails = o.platformDetails ?? "Windows";
  r.workspaceInstances.set(id, {
    WorkspaceInstanceId: id,
    ProvisionState: o.provisionState ?? "ALLOCATED",
    EC2ManagedInstance: { InstanceId: instanceId },
  });
  if (o.tags) r.workspaceInstanceTags.set(id, tagList(o.tags));
  const tags = tagList({ ...o.tags, "aws:workspaces-instances:id": id });
  r.ec2Instances.set(
    instanceId,
    stripUndefined<Instance>({
      InstanceId: instanceId,
      ImageId: `ami-0${hashChars(id + "ami", 16, HEX)}`,
      State: { Code: EC2_STATE_CODE[state], Name: state },
      PrivateDnsName: `ip-${ip.replaceAll(".", "-")}.${
        r.name === "us-east-1" ? "ec2.internal" : `${r.name}.compute.internal`
      }`,
      InstanceType: (o.instanceType ?? "m5.large") as Ec2InstanceType,
      LaunchTime: o.launchTime ?? new Date(BASE_TIME - 14 * DAY),
      Placement: { AvailabilityZone: `${r.name}a`, Tenancy: "default" },
      Platform: platformDetails.startsWith("Windows") ? "Windows" : undefined,
      PlatformDetails: platformDetails,
      PrivateIpAddress: ip,
      SubnetId: SUBNETS[0],
      VpcId: VPC,
      Architecture: "x86_64",
      Tags: tags,
    }),
  );
}

/** Scaling activities (newest first) and the capacity-error rate of a fleet. */
function addFleetScaling(r: RegionEstate, name: string, o: FleetOpts, desired: number): void {
  if (o.insufficientCapacityErrorsPerDay) r.fleetCapacityErrors.set(name, o.insufficientCapacityErrorsPerDay);
  if (!o.scalingActivities?.length) return;
  const now = Date.now();
  const resourceId = `fleet/${name}`;
  const activities = o.scalingActivities.map((a, i): ScalingActivity => {
    const from = a.from ?? desired;
    const to = a.to ?? desired + 1;
    const start = new Date(now - a.hoursAgo * HOUR);
    const done = a.status !== "InProgress" && a.status !== "Pending";
    return stripUndefined<ScalingActivity>({
      ActivityId: uuidFrom(`${resourceId}/${i}/${a.hoursAgo}`),
      ServiceNamespace: "appstream",
      ResourceId: resourceId,
      ScalableDimension: "appstream:fleet:DesiredCapacity",
      Description: `Setting desired capacity to ${to}.`,
      Cause: a.cause ??
        `monitor alarm TargetTracking-${resourceId}-Alarm${to > from ? "High" : "Low"}-${
          uuidFrom(`${resourceId}/alarm`)
        } in state ALARM triggered policy ${name}-scaling`,
      StartTime: start,
      EndTime: done ? new Date(start.getTime() + 5 * 60_000) : undefined,
      StatusCode: a.status,
      StatusMessage: a.message ??
        (a.status === "Successful"
          ? `Successfully set desired capacity to ${to}. Change successfully fulfilled by appstream.`
          : a.status === "Failed"
          ? `Failed to set desired capacity to ${to}. Reason: not enough capacity for ${
            o.instanceType ?? "the instance type"
          }.`
          : undefined),
    });
  });
  activities.sort((a, b) => b.StartTime!.getTime() - a.StartTime!.getTime());
  r.scalingActivities.set(resourceId, activities);
}
