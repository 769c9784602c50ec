/**
 * The in-memory estate the simulator answers from, and the scenario builder that makes one.
 *
 * Resources are stored in the AWS SDK's own output shapes (the types exported by the clients), so
 * an operation handler returns them as they are and a later write operation changes them in place.
 * Maps keep insertion order, which is the order every list operation pages through.
 */
import type {
  Compute,
  ConnectionState,
  OperatingSystemName,
  PoolsRunningMode,
  Protocol,
  RunningMode,
  Tag,
  Workspace,
  WorkspaceBundle,
  WorkspaceConnectionStatus,
  WorkspaceDirectory,
  WorkspaceDirectoryState,
  WorkspaceDirectoryType,
  WorkspacesPool,
  WorkspacesPoolErrorCode,
  WorkspacesPoolState,
  WorkspaceState,
  WorkspaceType,
} from "@aws-sdk/client-workspaces";
import type {
  Action,
  Fleet,
  FleetErrorCode,
  FleetState,
  FleetType,
  Permission,
  PlatformType,
  Session as AppSession,
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
import type { ProvisionStateEnum, Tag as InstanceTag, WorkspaceInstance } from "@aws-sdk/client-workspaces-instances";
import type { _InstanceType as Ec2InstanceType, Instance, InstanceStateName } from "@aws-sdk/client-ec2";
import type { DirectoryDescription, DirectoryStage } from "@aws-sdk/client-directory-service";
import type { ScalingActivity, ScalingActivityStatusCode } from "@aws-sdk/client-application-auto-scaling";
import type { ComparisonOperator, CompositeAlarm, MetricAlarm, StateValue } from "@aws-sdk/client-cloudwatch";
import type { DescribeWorkspaceSnapshotsResult, WorkspacesPoolSession } from "@aws-sdk/client-workspaces";
import { metricKey, type Sampler, type UsageProfile } from "./metrics.ts";
import {
  type AccountOpts,
  addConnectionAlias,
  addIpGroup,
  addUsageReport,
  buildPortalWeb,
  type ClientPropertiesOpts,
  type ConnectionAliasOpts,
  type IpGroupOpts,
  type PortalWebOpts,
  SecurityData,
  setAccount,
  setClientProperties,
  type UsageReportOpts,
} from "./security.ts";
import {
  addAppBlockBuilder,
  addAppImage,
  addAppUser,
  addImageBuilder,
  addTrailEvent,
  addTrailNoise,
  addWorkspaceImage,
  type AppBlockBuilderOpts,
  type AppImageOpts,
  type AppUserOpts,
  GovernanceData,
  type ImageBuilderOpts,
  type TrailEventOpts,
  type TrailNoiseOpts,
  type WorkspaceImageOpts,
} from "./governance.ts";
import { quotaKey, type QuotaOverride } from "./quotas.ts";

/** The account every simulated resource belongs to. */
export const SIM_ACCOUNT = "123456789012";

/** The resources of one region, in AWS SDK output shapes; mutable so write operations can change them. */
export class RegionEstate {
  /** WorkSpaces Personal desktops by WorkspaceId. */
  readonly workspaces = new Map<string, Workspace>();
  /** Connection status by WorkspaceId (DescribeWorkspacesConnectionStatus). */
  readonly connections = new Map<string, WorkspaceConnectionStatus>();
  /** Bundles by BundleId (Amazon-owned and custom). */
  readonly bundles = new Map<string, WorkspaceBundle>();
  /** Registered WorkSpaces directories by DirectoryId (d-… and wsd-…). */
  readonly directories = new Map<string, WorkspaceDirectory>();
  /** WorkSpaces Pools by PoolId. */
  readonly pools = new Map<string, WorkspacesPool>();
  /** WorkSpaces tags (DescribeTags) by resource id: desktops, pools, directories, bundles. */
  readonly tags = new Map<string, Tag[]>();
  /** WorkSpaces Applications (AppStream 2.0) fleets by name. */
  readonly fleets = new Map<string, Fleet>();
  /** WorkSpaces Applications stacks by name. */
  readonly stacks = new Map<string, Stack>();
  /** Fleet names associated with each stack name. */
  readonly stackFleets = new Map<string, string[]>();
  /** WorkSpaces Applications tags by resource ARN. */
  readonly appstreamTags = new Map<string, Record<string, string>>();
  /** Security data: IP groups, account settings, client properties, aliases, Secure Browser settings and sessions. */
  readonly security = new SecurityData();
  /** Governance data: Applications images, builders and user pool, WorkSpaces images, CloudTrail, quotas. */
  readonly governance = new GovernanceData();
  /** WorkSpaces Secure Browser portals by portal ARN. */
  readonly portals = new Map<string, Portal>();
  /** WorkSpaces Secure Browser tags by resource ARN. */
  readonly webTags = new Map<string, WebTag[]>();
  /** WorkSpaces Core managed instances by WorkspaceInstanceId. */
  readonly workspaceInstances = new Map<string, WorkspaceInstance>();
  /** Tags of WorkSpaces Core managed instances by WorkspaceInstanceId. */
  readonly workspaceInstanceTags = new Map<string, InstanceTag[]>();
  /** EC2 instances by InstanceId (those backing Core managed instances). */
  readonly ec2Instances = new Map<string, Instance>();
  /** How each desktop is used (by WorkspaceId): the source of its simulated CloudWatch metrics. */
  readonly usage = new Map<string, UsageProfile>();
  /** Explicit CloudWatch series by metricKey(namespace, metric, dimensions). */
  readonly metricSeries = new Map<string, Sampler>();
  /** WorkSpaces Applications streaming sessions by fleet name (DescribeSessions). */
  readonly fleetSessions = new Map<string, AppSession[]>();

  // ---- diagnostics: pool sessions, snapshots, Directory Service, scaling activities, alarms
  /** Live WorkSpaces Pools sessions by PoolId (DescribeWorkspacesPoolSessions). */
  readonly poolSessions = new Map<string, WorkspacesPoolSession[]>();
  /** Explicit snapshots by WorkspaceId; a desktop without an entry gets the default of its state. */
  readonly snapshots = new Map<string, DescribeWorkspaceSnapshotsResult>();
  /** Directory Service directories by DirectoryId: d-… only (wsd-… directories are WorkSpaces-managed). */
  readonly dsDirectories = new Map<string, DirectoryDescription>();
  /** Application Auto Scaling activities by ResourceId (fleet/<name>), newest first as AWS lists them. */
  readonly scalingActivities = new Map<string, ScalingActivity[]>();
  /** InsufficientCapacityError count per day, by fleet name (AWS/AppStream). */
  readonly fleetCapacityErrors = new Map<string, number>();
  /** CloudWatch metric alarms by name. */
  readonly metricAlarms = new Map<string, MetricAlarm>();
  /** CloudWatch composite alarms by name. */
  readonly compositeAlarms = new Map<string, CompositeAlarm>();

  /** Creates an empty region. */
  constructor(readonly name: string, readonly account: string) {}

  /** An ARN in this region and account. */
  arn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.name}:${this.account}:${resource}`;
  }

  /** True when the region holds no resources at all. */
  isEmpty(): boolean {
    return this.workspaces.size === 0 && this.bundles.size === 0 &&
      this.directories.size === 0 && this.pools.size === 0 &&
      this.fleets.size === 0 && this.stacks.size === 0 &&
      this.portals.size === 0 && this.workspaceInstances.size === 0 &&
      this.ec2Instances.size === 0;
  }
}

/** A whole simulated account: one RegionEstate per region. */
export class Estate {
  readonly #regions = new Map<string, RegionEstate>();

  /** Creates an empty estate for `account`. */
  constructor(readonly account: string = SIM_ACCOUNT) {}

  /** The resources of `name`; an unused region is empty, as in AWS. */
  region(name: string): RegionEstate {
    let r = this.#regions.get(name);
    if (!r) {
      r = new RegionEstate(name, this.account);
      this.#regions.set(name, r);
    }
    return r;
  }

  /** Regions that hold at least one resource, in the order they were first used. */
  regions(): string[] {
    return [...this.#regions.values()].filter((r) => !r.isEmpty()).map((r) => r.name);
  }
}

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

/** Options of a CloudWatch alarm (`scenario().alarm(name, opts)`). */
export interface AlarmOpts {
  /** Default ALARM. */
  state?: StateValue;
  namespace?: string;
  metric?: string;
  dimensions?: Record<string, string>;
  statistic?: "Average" | "Sum" | "Maximum" | "Minimum" | "SampleCount";
  threshold?: number;
  comparison?: ComparisonOperator;
  reason?: string;
  /** Hours since the state last changed (default 1). */
  sinceHoursAgo?: number;
  actionsEnabled?: boolean;
  description?: string;
  /** A metric-math alarm: the expression and the metrics it reads (Namespace/MetricName/Dimensions stay empty). */
  math?: {
    expression: string;
    metrics: { namespace: string; metric: string; dimensions: Record<string, string>; stat: string }[];
  };
  /** A composite alarm with this rule instead of a metric alarm. */
  compositeRule?: string;
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
  /** Its settings objects, identity providers and sessions (see security.ts). */
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

const BASE_TIME = Date.UTC(2024, 2, 4, 9, 30, 0);
const SUBNETS = ["subnet-0a1b2c3d4e5f60718", "subnet-0f9e8d7c6b5a40321"];
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

type Kind =
  | "bundle"
  | "directory"
  | "workspace"
  | "pool"
  | "fleet"
  | "stack"
  | "portal"
  | "managedInstance";

interface MetricSpec {
  region: string;
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  sampler: Sampler;
}

interface Spec {
  kind: Kind;
  region: string;
  id: string;
  opts: object;
}

/** Starts a scenario whose resources go to `defaultRegion` until inRegion() says otherwise. */
export function scenario(defaultRegion = "us-east-1"): Scenario {
  return new Scenario(defaultRegion);
}

/** A chainable description of an estate; build() turns it into an Estate. */
export class Scenario {
  #region: string;
  readonly #specs: Spec[] = [];
  readonly #metrics: MetricSpec[] = [];
  readonly #counters = new Map<string, number>();
  /** Additions applied after every resource exists (alarms), in declaration order. */
  readonly #after: { region: string; apply: (r: RegionEstate, now: Date) => void }[] = [];
  readonly #security: { region: string; apply: (r: RegionEstate, now: number) => void }[] = [];
  readonly #governance: { region: string; apply: (r: RegionEstate, now: number) => void }[] = [];

  /** Creates a builder; prefer scenario(). */
  constructor(defaultRegion = "us-east-1") {
    this.#region = defaultRegion;
  }

  /** Later resources go to `region`. */
  inRegion(region: string): Scenario {
    this.#region = region;
    return this;
  }

  /** One WorkSpaces Personal desktop. */
  workspace(id: string, opts: WorkspaceOpts = {}): Scenario {
    return this.#add("workspace", id, opts);
  }

  /** `count` desktops with ids ws-<prefix><zero-padded n>, numbering continuing per prefix. */
  workspaces(
    count: number,
    opts: WorkspaceOpts & { prefix?: string } = {},
  ): Scenario {
    const { prefix = "", ...rest } = opts;
    if (!/^[0-9a-z]*$/.test(prefix)) {
      throw new Error(`workspace id prefix must be [0-9a-z]*: ${prefix}`);
    }
    const start = this.#counters.get(prefix) ?? 0;
    const width = Math.max(8 - prefix.length, String(start + count).length);
    for (let i = 1; i <= count; i++) {
      const n = start + i;
      const user = rest.user ?? `user${String(n).padStart(5, "0")}`;
      this.#add(
        "workspace",
        `ws-${prefix}${String(n).padStart(width, "0")}`,
        { ...rest, user },
      );
    }
    this.#counters.set(prefix, start + count);
    return this;
  }

  /** A WorkSpaces bundle (Amazon-owned unless `owner` says otherwise). */
  bundle(id: string, opts: BundleOpts = {}): Scenario {
    return this.#add("bundle", id, opts);
  }

  /** A registered WorkSpaces directory: d-… (Personal) or wsd-… (Pools). */
  directory(id: string, opts: DirectoryOpts = {}): Scenario {
    return this.#add("directory", id, opts);
  }

  /** A WorkSpaces Pool. */
  pool(id: string, opts: PoolOpts = {}): Scenario {
    return this.#add("pool", id, opts);
  }

  /** A WorkSpaces Applications fleet. */
  fleet(name: string, opts: FleetOpts = {}): Scenario {
    return this.#add("fleet", name, opts);
  }

  /** A WorkSpaces Applications stack, associated with `opts.fleets`. */
  stack(name: string, opts: StackOpts = {}): Scenario {
    return this.#add("stack", name, opts);
  }

  // ---------------------------------------------------------------- governance (see governance.ts)

  /** A WorkSpaces Applications image: PRIVATE (owned, the default) or SHARED with the account. */
  appImage(name: string, opts: AppImageOpts = {}): Scenario {
    return this.#gov((r, now) => addAppImage(r, name, opts, now));
  }

  /** A WorkSpaces Applications image builder (STOPPED unless `state` says otherwise). */
  imageBuilder(name: string, opts: ImageBuilderOpts = {}): Scenario {
    return this.#gov((r, now) => addImageBuilder(r, name, opts, now));
  }

  /** A WorkSpaces Applications app-block builder (STOPPED unless `state` says otherwise). */
  appBlockBuilder(name: string, opts: AppBlockBuilderOpts = {}): Scenario {
    return this.#gov((r, now) => addAppBlockBuilder(r, name, opts, now));
  }

  /** A WorkSpaces Applications user-pool user, assigned to `opts.stacks`. */
  appUser(userName: string, opts: AppUserOpts = {}): Scenario {
    return this.#gov((r, now) => addAppUser(r, userName, opts, now));
  }

  /** A WorkSpaces image (owned unless `owner` names another account), optionally shared with accounts. */
  workspaceImage(id: string, opts: WorkspaceImageOpts = {}): Scenario {
    return this.#gov((r, now) => addWorkspaceImage(r, id, opts, now));
  }

  /** One CloudTrail management event. */
  trailEvent(opts: TrailEventOpts): Scenario {
    return this.#gov((r, now) => addTrailEvent(r, opts, now));
  }

  /** `count` CloudTrail write events of non-EUC services (the noise an account-wide lookup wades through). */
  trailNoise(count: number, opts: TrailNoiseOpts = {}): Scenario {
    return this.#gov((r, now) => addTrailNoise(r, count, opts, now));
  }

  /** Changes one built-in Service Quotas entry (by quota code or name): its value, adjustability, usage. */
  serviceQuota(serviceCode: string, quota: string, opts: QuotaOverride): Scenario {
    const key = quotaKey(serviceCode, quota);
    return this.#gov((r) => r.governance.quotaOverrides.set(key, { ...opts }));
  }

  /** Service Quotas knows no quotas for `serviceCode` in the current region (NoSuchResourceException). */
  noServiceQuotas(serviceCode: string): Scenario {
    return this.#gov((r) => r.governance.quotaServicesUnavailable.add(serviceCode));
  }

  #gov(apply: (r: RegionEstate, now: number) => void): Scenario {
    this.#governance.push({ region: this.#region, apply });
    return this;
  }

  /** A WorkSpaces Secure Browser portal (id is the UUID at the end of its ARN). */
  portal(id: string, opts: PortalOpts = {}): Scenario {
    return this.#add("portal", id, opts);
  }

  // ---------------------------------------------------------------- security (see security.ts)

  /** A WorkSpaces IP access control group (wsipg-…), associated with `opts.directories`. */
  ipGroup(id: string, opts: IpGroupOpts = {}): Scenario {
    return this.#sec((r) => addIpGroup(r, id, opts));
  }

  /** The account's WorkSpaces (BYOL) settings and their modifications in the current region. */
  workspacesAccount(opts: AccountOpts): Scenario {
    return this.#sec((r, now) => setAccount(r, opts, now));
  }

  /** The WorkSpaces client properties of a directory (defaults: reconnect and log upload enabled). */
  clientProperties(directoryId: string, opts: ClientPropertiesOpts): Scenario {
    return this.#sec((r) => setClientProperties(r, directoryId, opts));
  }

  /** A WorkSpaces connection alias (wsca-…) for cross-Region redirection. */
  connectionAlias(id: string, opts: ConnectionAliasOpts = {}): Scenario {
    return this.#sec((r) => addConnectionAlias(r, id, opts));
  }

  /** A WorkSpaces Applications usage-report subscription in the current region. */
  usageReports(opts: UsageReportOpts = {}): Scenario {
    return this.#sec((r, now) => addUsageReport(r, opts, now));
  }

  #sec(apply: (r: RegionEstate, now: number) => void): Scenario {
    this.#security.push({ region: this.#region, apply });
    return this;
  }

  /** A WorkSpaces Core managed instance (wsinst-…) and the EC2 instance backing it. */
  managedInstance(id: string, opts: ManagedInstanceOpts = {}): Scenario {
    return this.#add("managedInstance", id, opts);
  }

  /**
   * A CloudWatch series in the current region: a constant published every 5 minutes, or a sampler
   * (value at a 5-minute sample time, undefined when nothing was published).
   */
  metric(namespace: string, metric: string, dimensions: Record<string, string>, value: number | Sampler): Scenario {
    const sampler: Sampler = typeof value === "number" ? () => value : value;
    this.#metrics.push({ region: this.#region, namespace, metric, dimensions: { ...dimensions }, sampler });
    return this;
  }

  /** A live WorkSpaces Applications streaming session of `user` on a fleet of the current region. */
  fleetSession(fleet: string, user: string, opts: FleetSessionOpts = {}): Scenario {
    this.#after.push({ region: this.#region, apply: (r, now) => addFleetSession(r, fleet, user, opts, now) });
    return this;
  }

  /** A CloudWatch alarm (metric, metric-math or composite) in the current region. */
  alarm(name: string, opts: AlarmOpts = {}): Scenario {
    if (!name) throw new Error("alarm needs a name");
    this.#after.push({ region: this.#region, apply: (r, now) => addAlarm(r, name, opts, now) });
    return this;
  }

  /** Materializes the estate; references to undeclared bundles and directories create them. */
  build(): Estate {
    const estate = new Estate();
    const now = new Date();
    const seq = new Map<string, number>();
    const next = (region: string) => {
      const n = (seq.get(region) ?? 0) + 1;
      seq.set(region, n);
      return n;
    };
    const order: Kind[] = [
      "bundle",
      "directory",
      "workspace",
      "pool",
      "fleet",
      "stack",
      "portal",
      "managedInstance",
    ];
    for (const kind of order) {
      for (const spec of this.#specs) {
        if (spec.kind !== kind) continue;
        const r = estate.region(spec.region);
        switch (kind) {
          case "bundle":
            addBundle(r, spec.id, spec.opts as BundleOpts);
            break;
          case "directory":
            addDirectory(r, spec.id, spec.opts as DirectoryOpts);
            break;
          case "workspace":
            addWorkspace(
              r,
              spec.id,
              spec.opts as WorkspaceOpts,
              next(spec.region),
              now,
            );
            break;
          case "pool":
            addPool(r, spec.id, spec.opts as PoolOpts);
            break;
          case "fleet":
            addFleet(r, spec.id, spec.opts as FleetOpts);
            break;
          case "stack":
            addStack(r, spec.id, spec.opts as StackOpts);
            break;
          case "portal":
            addPortal(r, spec.id, spec.opts as PortalOpts);
            break;
          case "managedInstance":
            addManagedInstance(
              r,
              spec.id,
              spec.opts as ManagedInstanceOpts,
              next(spec.region),
            );
            break;
        }
      }
    }
    for (const m of this.#metrics) {
      estate.region(m.region).metricSeries.set(metricKey(m.namespace, m.metric, m.dimensions), m.sampler);
    }
    for (const a of this.#after) a.apply(estate.region(a.region), now);
    const portals = this.#specs.filter((s) => s.kind === "portal");
    buildPortalWeb(estate, portals as { region: string; id: string; opts: PortalOpts }[], now.getTime());
    for (const s of this.#security) s.apply(estate.region(s.region), now.getTime());
    for (const g of this.#governance) g.apply(estate.region(g.region), now.getTime());
    return estate;
  }

  #add(kind: Kind, id: string, opts: object): Scenario {
    if (!id) throw new Error(`${kind} needs an id`);
    this.#specs.push({ kind, region: this.#region, id, opts });
    return this;
  }
}

function tagList(tags: Record<string, string> | undefined): Tag[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

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

function addBundle(
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

function addDirectory(
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

function addWorkspace(
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
  ws.WorkspaceProperties = stripUndefined(ws.WorkspaceProperties!);
  r.workspaces.set(id, stripUndefined(ws));
  if (o.usage) r.usage.set(id, o.usage);
  if (o.snapshots) {
    r.snapshots.set(id, {
      RestoreSnapshots: (o.snapshots.restore ?? []).map((SnapshotTime) => ({ SnapshotTime })),
      RebuildSnapshots: (o.snapshots.rebuild ?? []).map((SnapshotTime) => ({ SnapshotTime })),
    });
  }
  r.connections.set(
    id,
    stripUndefined({
      WorkspaceId: id,
      ConnectionState: o.connectionState ??
        (state === "AVAILABLE" ? "DISCONNECTED" : "UNKNOWN"),
      ConnectionStateCheckTimestamp: now,
      LastKnownUserConnectionTimestamp: o.lastConnected,
    }),
  );
  setTags(r, id, o.tags);
}

function addPool(r: RegionEstate, id: string, o: PoolOpts): void {
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

function addFleet(r: RegionEstate, name: string, o: FleetOpts): void {
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

function addStack(r: RegionEstate, name: string, o: StackOpts): void {
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

function addFleetSession(r: RegionEstate, fleet: string, user: string, o: FleetSessionOpts, now: Date): void {
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

function addPortal(r: RegionEstate, id: string, o: PortalOpts): void {
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

function addManagedInstance(
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
      VpcId: "vpc-0123456789abcdef0",
      Architecture: "x86_64",
      Tags: tags,
    }),
  );
}

// ---------------------------------------------------------------- diagnostics additions

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
        : { VpcId: "vpc-0123456789abcdef0", SubnetIds: dir.SubnetIds, AvailabilityZones: [`${r.name}a`, `${r.name}b`] },
      ConnectSettings: type === "ADConnector"
        ? {
          VpcId: "vpc-0123456789abcdef0",
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

function addAlarm(r: RegionEstate, name: string, o: AlarmOpts, now: Date): void {
  const state = o.state ?? "ALARM";
  const since = new Date(now.getTime() - (o.sinceHoursAgo ?? 1) * HOUR);
  const arn = r.arn("cloudwatch", `alarm:${name}`);
  const reason = o.reason ??
    (state === "ALARM"
      ? `Threshold Crossed: 1 datapoint [${(o.threshold ?? 1) + 1}.0] was ${
        o.comparison === "LessThanThreshold" ? "less than" : "greater than"
      } the threshold (${o.threshold ?? 1}.0).`
      : "Threshold Crossed: no datapoints were breaching the threshold.");
  if (o.compositeRule) {
    r.compositeAlarms.set(name, {
      AlarmName: name,
      AlarmArn: arn,
      AlarmDescription: o.description,
      AlarmRule: o.compositeRule,
      ActionsEnabled: o.actionsEnabled ?? true,
      StateValue: state,
      StateReason: reason,
      StateUpdatedTimestamp: since,
      StateTransitionedTimestamp: since,
      AlarmConfigurationUpdatedTimestamp: new Date(since.getTime() - DAY),
    });
    return;
  }
  const alarm: MetricAlarm = {
    AlarmName: name,
    AlarmArn: arn,
    AlarmDescription: o.description,
    AlarmConfigurationUpdatedTimestamp: new Date(since.getTime() - DAY),
    ActionsEnabled: o.actionsEnabled ?? true,
    OKActions: [],
    AlarmActions: o.actionsEnabled === false ? [] : [`arn:aws:sns:${r.name}:${r.account}:euc-alerts`],
    InsufficientDataActions: [],
    StateValue: state,
    StateReason: reason,
    StateUpdatedTimestamp: since,
    StateTransitionedTimestamp: since,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 3,
    Threshold: o.threshold ?? 1,
    ComparisonOperator: o.comparison ?? "GreaterThanThreshold",
    TreatMissingData: "missing",
  };
  if (o.math) {
    alarm.Metrics = [
      ...o.math.metrics.map((m, i) => ({
        Id: `m${i + 1}`,
        MetricStat: {
          Metric: {
            Namespace: m.namespace,
            MetricName: m.metric,
            Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: 300,
          Stat: m.stat,
        },
        ReturnData: false,
      })),
      { Id: "e1", Expression: o.math.expression, Label: name, ReturnData: true },
    ];
  } else {
    alarm.Namespace = o.namespace ?? "AWS/WorkSpaces";
    alarm.MetricName = o.metric ?? "ConnectionFailure";
    alarm.Statistic = o.statistic ?? "Sum";
    alarm.Dimensions = Object.entries(o.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value }));
    alarm.Period = 300;
  }
  r.metricAlarms.set(name, stripUndefined(alarm));
}

function ipFor(n: number): string {
  return `10.0.${Math.floor(n / 250) % 256}.${(n % 250) + 4}`;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
const UPPER36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const HEX = "0123456789abcdef";

/** A 32-bit FNV-1a hash: stable ids and values from a name, without randomness. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `len` characters of `alphabet` derived from `seed`. */
export function hashChars(seed: string, len: number, alphabet: string): string {
  let out = "";
  for (let round = 0; out.length < len; round++) {
    let h = hash32(`${seed}#${round}`);
    for (let k = 0; k < 4 && out.length < len; k++) {
      out += alphabet[h % alphabet.length];
      h = Math.floor(h / alphabet.length);
    }
  }
  return out;
}

/** A UUID-shaped string derived from `seed`. */
export function uuidFrom(seed: string): string {
  const h = hashChars(seed, 32, HEX);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function stripUndefined<T extends object>(obj: T): T {
  for (const k of Object.keys(obj) as (keyof T)[]) {
    if (obj[k] === undefined) delete obj[k];
  }
  return obj;
}
