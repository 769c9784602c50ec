/**
 * The scenario builder's WorkSpaces Personal and Pools part: bundles (and the built-in public
 * bundle catalogue), registered directories and their Directory Service side, desktops, pools and
 * their live sessions. Scenario.build() calls these in dependency order.
 */
import type {
  Compute,
  ConnectionState,
  OperatingSystemName,
  PoolsRunningMode,
  Protocol,
  RunningMode,
  Workspace,
  WorkspaceBundle,
  WorkspaceDirectory,
  WorkspaceDirectoryState,
  WorkspaceDirectoryType,
  WorkspacesPool,
  WorkspacesPoolErrorCode,
  WorkspacesPoolState,
  WorkspaceState,
  WorkspaceType,
} from "@aws-sdk/client-workspaces";
import type { DirectoryDescription, DirectoryStage } from "@aws-sdk/client-directory-service";
import type { RegionEstate } from "./region.ts";
import type { UsageProfile } from "./types.ts";
import {
  BASE36,
  BASE_TIME,
  DAY,
  definedOnly,
  hashChars,
  HEX,
  HOUR,
  ipFor,
  stripUndefined,
  SUBNETS,
  tagList,
  UPPER36,
  uuidFrom,
  VPC,
} from "./seed.ts";

/** Options of one WorkSpaces Personal desktop. */
export interface WorkspaceOpts {
  state?: WorkspaceState;
  user?: string;
  /** Bundle id; unknown ids from the built-in catalogue (BUNDLES) are created on build. */
  bundle?: string;
  directory?: string;
  runningMode?: RunningMode;
  autoStopMinutes?: number;
  computeType?: Compute;
  os?: OperatingSystemName;
  rootEncrypted?: boolean;
  userEncrypted?: boolean;
  rootGib?: number;
  userGib?: number;
  protocols?: Protocol[];
  computerName?: string;
  ip?: string;
  subnet?: string;
  errorCode?: string;
  errorMessage?: string;
  name?: string;
  tags?: Record<string, string>;
  connectionState?: ConnectionState;
  lastConnected?: Date;
  /** How the user uses the desktop (drives its CloudWatch metrics); default: never connects. */
  usage?: UsageProfile;
  /** Snapshot times (DescribeWorkspaceSnapshots); default: what the desktop's state implies. */
  snapshots?: { restore?: Date[]; rebuild?: Date[] };
}

/** Options of a WorkSpaces bundle. */
export interface BundleOpts {
  name?: string;
  description?: string;
  computeType?: Compute;
  os?: OperatingSystemName;
  rootGib?: number;
  userGib?: number;
  /** "AMAZON" for public bundles (the default), else the owning account id. */
  owner?: string;
  imageId?: string;
  tags?: Record<string, string>;
}

/** Options of a registered WorkSpaces directory. */
export interface DirectoryOpts {
  name?: string;
  type?: WorkspaceDirectoryType;
  state?: WorkspaceDirectoryState;
  ipGroupIds?: string[];
  workspaceType?: WorkspaceType;
  alias?: string;
  subnetIds?: string[];
  errorMessage?: string;
  tags?: Record<string, string>;
  /** Directory Service stage of a d-… directory (default Active); wsd-… directories have none. */
  stage?: DirectoryStage;
  /** Directory Service StageReason (why it is Impaired, Inoperable, …). */
  stageReason?: string;
}

/** Options of a WorkSpaces Pool. */
export interface PoolOpts {
  name?: string;
  state?: WorkspacesPoolState;
  desired?: number;
  actual?: number;
  active?: number;
  available?: number;
  bundle?: string;
  directory?: string;
  runningMode?: PoolsRunningMode;
  description?: string;
  errors?: { code: string; message: string }[];
  tags?: Record<string, string>;
  /** Live sessions (DescribeWorkspacesPoolSessions); default: `active` connected sessions. */
  sessions?: PoolSessionOpts[];
}

/** One live WorkSpaces Pools session. */
export interface PoolSessionOpts {
  user: string;
  /** Default true (CONNECTED); false is NOT_CONNECTED. */
  connected?: boolean;
  /** Default 1 hour. */
  startedHoursAgo?: number;
}

/** A public bundle the builder knows, so a desktop can name it without declaring it. */
interface CatalogueBundle {
  name: string;
  computeType: Compute;
  os: OperatingSystemName;
  rootGib: number;
  userGib: number;
}

/** Amazon-owned bundles available in every simulated region. */
export const BUNDLES: Readonly<Record<string, CatalogueBundle>> = {
  "wsb-8vbljg4r6": {
    name: "Standard with Windows 10 (Server 2022 based)",
    computeType: "STANDARD",
    os: "WINDOWS_SERVER_2022",
    rootGib: 80,
    userGib: 50,
  },
  "wsb-gk1wpk43z": {
    name: "Performance with Windows 10 (Server 2022 based)",
    computeType: "PERFORMANCE",
    os: "WINDOWS_SERVER_2022",
    rootGib: 80,
    userGib: 100,
  },
  "wsb-1pzkp0bx4": {
    name: "Power with Windows 11",
    computeType: "POWER",
    os: "WINDOWS_11",
    rootGib: 175,
    userGib: 100,
  },
  "wsb-b0s22j3d7": {
    name: "PowerPro with Windows 11",
    computeType: "POWERPRO",
    os: "WINDOWS_11",
    rootGib: 175,
    userGib: 100,
  },
  "wsb-gm4d5tx2v": {
    name: "GraphicsPro.g4dn with Windows 10 (Server 2022 based)",
    computeType: "GRAPHICSPRO_G4DN",
    os: "WINDOWS_SERVER_2022",
    rootGib: 100,
    userGib: 100,
  },
  "wsb-0zsvgp8fc": {
    name: "Standard with Amazon Linux 2",
    computeType: "STANDARD",
    os: "AMAZON_LINUX_2",
    rootGib: 80,
    userGib: 10,
  },
  "wsb-3t36q0xfc": {
    name: "Value with Windows 10 (Server 2022 based)",
    computeType: "VALUE",
    os: "WINDOWS_SERVER_2022",
    rootGib: 80,
    userGib: 10,
  },
};

/** The bundle a desktop gets when none is named. */
export const DEFAULT_BUNDLE = "wsb-8vbljg4r6";
/** The directory a desktop gets when none is named. */
export const DEFAULT_DIRECTORY = "d-9067a1b2c3";

function setTags(
  r: RegionEstate,
  id: string,
  tags: Record<string, string> | undefined,
): void {
  if (tags && Object.keys(tags).length > 0) r.tags.set(id, tagList(tags));
}

function ensureBundle(r: RegionEstate, id: string): WorkspaceBundle {
  return r.bundles.get(id) ?? addBundle(r, id, {});
}

export function addBundle(
  r: RegionEstate,
  id: string,
  o: BundleOpts,
): WorkspaceBundle {
  const known = BUNDLES[id];
  const computeType = o.computeType ?? known?.computeType ?? "STANDARD";
  const os = o.os ?? known?.os ?? "WINDOWS_SERVER_2022";
  const bundle: WorkspaceBundle = {
    BundleId: id,
    Name: o.name ?? known?.name ?? `Custom ${computeType} bundle`,
    Owner: o.owner ?? (known ? "AMAZON" : r.account),
    Description: o.description ?? known?.name ??
      `${computeType} bundle on ${os}`,
    ImageId: o.imageId ?? `wsi-${hashChars(id, 9, BASE36)}`,
    RootStorage: { Capacity: String(o.rootGib ?? known?.rootGib ?? 80) },
    UserStorage: { Capacity: String(o.userGib ?? known?.userGib ?? 50) },
    ComputeType: { Name: computeType },
    CreationTime: new Date(BASE_TIME - 400 * DAY),
    LastUpdatedTime: new Date(BASE_TIME - 30 * DAY),
    State: "AVAILABLE",
    BundleType: "REGULAR",
  };
  r.bundles.set(id, bundle);
  BUNDLE_OS.set(bundle, os);
  setTags(r, id, o.tags);
  return bundle;
}

/** The operating system of each bundle (not part of the bundle shape; read through its image). */
const BUNDLE_OS = new WeakMap<WorkspaceBundle, OperatingSystemName>();

function ensureDirectory(r: RegionEstate, id: string): WorkspaceDirectory {
  return r.directories.get(id) ?? addDirectory(r, id, {});
}

export function addDirectory(
  r: RegionEstate,
  id: string,
  o: DirectoryOpts,
): WorkspaceDirectory {
  const pools = o.workspaceType === "POOLS" ||
    (o.workspaceType === undefined && id.startsWith("wsd-"));
  const h = hashChars(id, 17, HEX);
  const dir: WorkspaceDirectory = {
    DirectoryId: id,
    Alias: o.alias ?? (pools ? undefined : id),
    DirectoryName: o.name ?? (pools ? undefined : "corp.example.com"),
    RegistrationCode: `SLiad+${hashChars(id + "rc", 6, UPPER36)}`,
    SubnetIds: o.subnetIds ?? [...SUBNETS],
    DnsIpAddresses: pools ? undefined : ["10.0.0.10", "10.0.1.10"],
    CustomerUserName: pools ? undefined : "Administrator",
    IamRoleId: `arn:aws:iam::${r.account}:role/workspaces_DefaultRole`,
    DirectoryType: o.type ?? (pools ? "CUSTOMER_MANAGED" : "AD_CONNECTOR"),
    WorkspaceSecurityGroupId: `sg-${h}`,
    State: o.state ?? "REGISTERED",
    WorkspaceCreationProperties: {
      EnableInternetAccess: false,
      DefaultOu: pools ? undefined : "OU=WorkSpaces,DC=corp,DC=example,DC=com",
      UserEnabledAsLocalAdministrator: false,
      EnableMaintenanceMode: true,
    },
    ipGroupIds: o.ipGroupIds ?? [],
    WorkspaceAccessProperties: {
      DeviceTypeWindows: "ALLOW",
      DeviceTypeOsx: "ALLOW",
      DeviceTypeWeb: "DENY",
      DeviceTypeIos: "ALLOW",
      DeviceTypeAndroid: "ALLOW",
      DeviceTypeChromeOs: "ALLOW",
      DeviceTypeZeroClient: "ALLOW",
      DeviceTypeLinux: "DENY",
      DeviceTypeWorkSpacesThinClient: "DENY",
    },
    Tenancy: "SHARED",
    SelfservicePermissions: {
      RestartWorkspace: "ENABLED",
      IncreaseVolumeSize: "DISABLED",
      ChangeComputeType: "DISABLED",
      SwitchRunningMode: "DISABLED",
      RebuildWorkspace: "DISABLED",
    },
    WorkspaceDirectoryName: pools ? `pools-${id.slice(4, 10)}` : undefined,
    UserIdentityType: pools ? "CUSTOMER_MANAGED" : "AWS_DIRECTORY_SERVICE",
    WorkspaceType: pools ? "POOLS" : "PERSONAL",
    ErrorMessage: o.errorMessage,
  };
  r.directories.set(id, stripUndefined(dir));
  setTags(r, id, o.tags);
  if (id.startsWith("d-")) addDsDirectory(r, dir, o);
  return dir;
}

export function addWorkspace(
  r: RegionEstate,
  id: string,
  o: WorkspaceOpts,
  n: number,
  now: Date,
): void {
  const bundle = ensureBundle(r, o.bundle ?? DEFAULT_BUNDLE);
  const directoryId = o.directory ?? DEFAULT_DIRECTORY;
  ensureDirectory(r, directoryId);
  const state = o.state ?? "AVAILABLE";
  const runningMode = o.runningMode ?? "AUTO_STOP";
  const rootEncrypted = o.rootEncrypted ?? true;
  const userEncrypted = o.userEncrypted ?? true;
  const os = o.os ?? BUNDLE_OS.get(bundle) ?? "WINDOWS_SERVER_2022";
  const ws: Workspace = {
    WorkspaceId: id,
    DirectoryId: directoryId,
    UserName: o.user ?? `user${String(n).padStart(5, "0")}`,
    IpAddress: o.ip ?? ipFor(n),
    State: state,
    BundleId: bundle.BundleId,
    SubnetId: o.subnet ?? SUBNETS[n % SUBNETS.length],
    ErrorMessage: o.errorMessage,
    ErrorCode: o.errorCode,
    ComputerName: o.computerName ??
      (os.startsWith("WINDOWS") ? `WSAMZN-${hashChars(id, 8, UPPER36)}` : `A-${hashChars(id, 13, UPPER36)}`),
    VolumeEncryptionKey: rootEncrypted || userEncrypted
      ? `arn:aws:kms:${r.name}:${r.account}:alias/aws/workspaces`
      : undefined,
    // AWS omits the flags (rather than sending false) when a volume is not encrypted.
    UserVolumeEncryptionEnabled: userEncrypted || undefined,
    RootVolumeEncryptionEnabled: rootEncrypted || undefined,
    WorkspaceName: o.name,
    WorkspaceProperties: {
      RunningMode: runningMode,
      RunningModeAutoStopTimeoutInMinutes: runningMode === "AUTO_STOP" ? o.autoStopMinutes ?? 60 : undefined,
      RootVolumeSizeGib: o.rootGib ?? Number(bundle.RootStorage?.Capacity),
      UserVolumeSizeGib: o.userGib ?? Number(bundle.UserStorage?.Capacity),
      ComputeTypeName: o.computeType ?? bundle.ComputeType?.Name ?? "STANDARD",
      Protocols: o.protocols ?? ["WSP"],
      OperatingSystemName: os,
    },
    ModificationStates: [],
  };
  ws.WorkspaceProperties = definedOnly(ws.WorkspaceProperties!);
  r.workspaces.set(id, definedOnly(ws));
  if (o.usage) r.usage.set(id, o.usage);
  if (o.snapshots) {
    r.snapshots.set(id, {
      RestoreSnapshots: (o.snapshots.restore ?? []).map((SnapshotTime) => ({ SnapshotTime })),
      RebuildSnapshots: (o.snapshots.rebuild ?? []).map((SnapshotTime) => ({ SnapshotTime })),
    });
  }
  r.connections.set(
    id,
    definedOnly({
      WorkspaceId: id,
      ConnectionState: o.connectionState ??
        (state === "AVAILABLE" ? "DISCONNECTED" : "UNKNOWN"),
      ConnectionStateCheckTimestamp: now,
      LastKnownUserConnectionTimestamp: o.lastConnected,
    }),
  );
  setTags(r, id, o.tags);
}

export function addPool(r: RegionEstate, id: string, o: PoolOpts): void {
  const bundleId = o.bundle ?? DEFAULT_BUNDLE;
  ensureBundle(r, bundleId);
  const directoryId = o.directory ??
    [...r.directories.values()].find((d) => d.WorkspaceType === "POOLS")
      ?.DirectoryId ??
    `wsd-${hashChars(r.name, 9, BASE36)}`;
  ensureDirectory(r, directoryId);
  const state = o.state ?? "RUNNING";
  const desired = o.desired ?? 10;
  const actual = o.actual ?? (state === "RUNNING" ? desired : 0);
  const active = o.active ?? 0;
  const pool: WorkspacesPool = {
    PoolId: id,
    PoolArn: r.arn("workspaces", `workspacespool/${id}`),
    CapacityStatus: {
      AvailableUserSessions: o.available ?? Math.max(0, actual - active),
      DesiredUserSessions: desired,
      ActualUserSessions: actual,
      ActiveUserSessions: active,
    },
    PoolName: o.name ?? `pool_${id.replace(/^wspool-/, "")}`,
    Description: o.description,
    State: state,
    CreatedAt: new Date(BASE_TIME - 90 * DAY),
    BundleId: bundleId,
    DirectoryId: directoryId,
    Errors: o.errors?.map((e) => ({
      ErrorCode: e.code as WorkspacesPoolErrorCode,
      ErrorMessage: e.message,
    })),
    ApplicationSettings: { Status: "DISABLED" },
    TimeoutSettings: {
      DisconnectTimeoutInSeconds: 900,
      IdleDisconnectTimeoutInSeconds: 900,
      MaxUserDurationInSeconds: 57600,
    },
    RunningMode: o.runningMode ?? "AUTO_STOP",
  };
  r.pools.set(id, stripUndefined(pool));
  setTags(r, id, o.tags);
  addPoolSessions(r, id, o.sessions, state === "STOPPED" ? 0 : active);
}

const DS_TYPE: Readonly<Record<string, DirectoryDescription["Type"]>> = {
  AD_CONNECTOR: "ADConnector",
  SIMPLE_AD: "SimpleAD",
  MICROSOFT_AD: "MicrosoftAD",
};

/** The Directory Service side of a d-… directory (wsd-… directories are WorkSpaces-managed: none). */
function addDsDirectory(r: RegionEstate, dir: WorkspaceDirectory, o: DirectoryOpts): void {
  const id = dir.DirectoryId!;
  const type = DS_TYPE[dir.DirectoryType ?? ""] ?? "ADConnector";
  const name = dir.DirectoryName ?? "corp.example.com";
  const stage = o.stage ?? "Active";
  r.dsDirectories.set(
    id,
    stripUndefined<DirectoryDescription>({
      DirectoryId: id,
      Name: name,
      ShortName: name.split(".")[0].toUpperCase(),
      Size: type === "MicrosoftAD" ? undefined : "Small",
      Edition: type === "MicrosoftAD" ? "Standard" : undefined,
      Alias: dir.Alias ?? id,
      AccessUrl: `${dir.Alias ?? id}.awsapps.com`,
      DnsIpAddrs: type === "ADConnector" ? undefined : dir.DnsIpAddresses,
      Stage: stage,
      LaunchTime: new Date(BASE_TIME - 400 * DAY),
      StageLastUpdatedDateTime: new Date(BASE_TIME - (stage === "Active" ? 30 : 1) * DAY),
      Type: type,
      VpcSettings: type === "ADConnector"
        ? undefined
        : { VpcId: VPC, SubnetIds: dir.SubnetIds, AvailabilityZones: [`${r.name}a`, `${r.name}b`] },
      ConnectSettings: type === "ADConnector"
        ? {
          VpcId: VPC,
          SubnetIds: dir.SubnetIds,
          CustomerUserName: dir.CustomerUserName ?? "Administrator",
          ConnectIps: ["10.0.0.21", "10.0.1.21"],
          AvailabilityZones: [`${r.name}a`, `${r.name}b`],
        }
        : undefined,
      StageReason: o.stageReason,
      SsoEnabled: false,
    }),
  );
}

/** Live sessions of a pool: the given ones, else `active` connected users. */
function addPoolSessions(r: RegionEstate, poolId: string, sessions: PoolSessionOpts[] | undefined, active: number) {
  const now = Date.now();
  const list = sessions ??
    Array.from({ length: active }, (_, i) => ({
      user: `pooluser${String(i + 1).padStart(3, "0")}`,
      connected: true,
      startedHoursAgo: 0.25 + (i % 8) * 0.5,
    }));
  r.poolSessions.set(
    poolId,
    list.map((s, i) => {
      const seed = `${poolId}/${s.user}/${i}`;
      return {
        AuthenticationType: "SAML",
        ConnectionState: s.connected === false ? "NOT_CONNECTED" : "CONNECTED",
        SessionId: uuidFrom(seed),
        InstanceId: `i-0${hashChars(seed, 16, HEX)}`,
        PoolId: poolId,
        ExpirationTime: new Date(now - (s.startedHoursAgo ?? 1) * HOUR + 16 * HOUR),
        NetworkAccessConfiguration: { EniPrivateIpAddress: ipFor(100 + i), EniId: `eni-0${hashChars(seed, 16, HEX)}` },
        StartTime: new Date(now - (s.startedHoursAgo ?? 1) * HOUR),
        UserId: s.user,
      };
    }),
  );
}
