/**
 * The in-memory estate the simulator answers from: one RegionEstate per region, in an Estate.
 *
 * Resources are stored in the AWS SDK's own output shapes (the types exported by the clients), so
 * an operation handler returns them as they are and a later write operation changes them in place.
 * Maps keep insertion order, which is the order every list operation pages through. The scenario
 * builder (scenario.ts) fills it.
 */
import type {
  DescribeWorkspaceSnapshotsResult,
  Tag,
  Workspace,
  WorkspaceBundle,
  WorkspaceConnectionStatus,
  WorkspaceDirectory,
  WorkspacesPool,
  WorkspacesPoolSession,
} from "@aws-sdk/client-workspaces";
import type { Fleet, Session as AppSession, Stack } from "@aws-sdk/client-appstream";
import type { Portal, Tag as WebTag } from "@aws-sdk/client-workspaces-web";
import type { Tag as InstanceTag, WorkspaceInstance } from "@aws-sdk/client-workspaces-instances";
import type { Instance } from "@aws-sdk/client-ec2";
import type { DirectoryDescription } from "@aws-sdk/client-directory-service";
import type { ScalingActivity } from "@aws-sdk/client-application-auto-scaling";
import type { CompositeAlarm, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { RegionResources, Sampler, UsageProfile } from "./types.ts";
import { SecurityData } from "./data/security.ts";
import { GovernanceData } from "./data/governance.ts";

/** The account every simulated resource belongs to. */
export const SIM_ACCOUNT = "123456789012";

/** The resources of one region, in AWS SDK output shapes; mutable so write operations can change them. */
export class RegionEstate implements RegionResources {
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
