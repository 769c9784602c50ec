/**
 * The scenario builder: a chainable description of an estate (`scenario().workspace(…).fleet(…)`)
 * that build() turns into an Estate. The resource builders live beside it (scenario_workspaces.ts,
 * scenario_apps.ts); governance and security additions come from data/governance.ts and
 * data/security.ts. CloudWatch series and alarms are built here.
 */
import type { ComparisonOperator, MetricAlarm, StateValue } from "@aws-sdk/client-cloudwatch";
import { metricKey } from "./data/metrics.ts";
import {
  type AccountOpts,
  addConnectionAlias,
  addIpGroup,
  addUsageReport,
  buildPortalWeb,
  type ClientPropertiesOpts,
  type ConnectionAliasOpts,
  type IpGroupOpts,
  setAccount,
  setClientProperties,
  type UsageReportOpts,
} from "./data/security.ts";
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
  type ImageBuilderOpts,
  type TrailEventOpts,
  type TrailNoiseOpts,
  type WorkspaceImageOpts,
} from "./data/governance.ts";
import { quotaKey } from "./data/quotas.ts";
import { Estate, type RegionEstate } from "./region.ts";
import { DAY, HOUR, stripUndefined } from "./seed.ts";
import type { QuotaOverride, Sampler } from "./types.ts";
import {
  addBundle,
  addDirectory,
  addPool,
  addWorkspace,
  type BundleOpts,
  type DirectoryOpts,
  type PoolOpts,
  type WorkspaceOpts,
} from "./scenario_workspaces.ts";
import {
  addFleet,
  addFleetSession,
  addManagedInstance,
  addPortal,
  addStack,
  type FleetOpts,
  type FleetSessionOpts,
  type ManagedInstanceOpts,
  type PortalOpts,
  type StackOpts,
} from "./scenario_apps.ts";

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

/**
 * How build() makes each kind of resource, in the order it makes them (a desktop's bundle and
 * directory exist before it). `n` numbers the region's desktops and managed instances (their
 * default user names and IPs); a builder that needs no number does not draw one.
 */
const BUILDERS = {
  bundle: (r, id, o) => addBundle(r, id, o as BundleOpts),
  directory: (r, id, o) => addDirectory(r, id, o as DirectoryOpts),
  workspace: (r, id, o, n, now) => addWorkspace(r, id, o as WorkspaceOpts, n(), now),
  pool: (r, id, o) => addPool(r, id, o as PoolOpts),
  fleet: (r, id, o) => addFleet(r, id, o as FleetOpts),
  stack: (r, id, o) => addStack(r, id, o as StackOpts),
  portal: (r, id, o) => addPortal(r, id, o as PortalOpts),
  managedInstance: (r, id, o, n) => addManagedInstance(r, id, o as ManagedInstanceOpts, n()),
} satisfies Record<string, (r: RegionEstate, id: string, opts: object, n: () => number, now: Date) => void>;

type Kind = keyof typeof BUILDERS;

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

  // ---------------------------------------------------------------- governance (see data/governance.ts)

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

  // ---------------------------------------------------------------- security (see data/security.ts)

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
    for (const [kind, make] of Object.entries(BUILDERS) as [Kind, (typeof BUILDERS)[Kind]][]) {
      for (const spec of this.#specs) {
        if (spec.kind !== kind) continue;
        make(estate.region(spec.region), spec.id, spec.opts, () => next(spec.region), now);
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
