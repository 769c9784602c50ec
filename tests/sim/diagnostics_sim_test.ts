import assert from "node:assert/strict";
import { awsOn } from "../support/harness.ts";
import { collect } from "../../src/aws/paginate.ts";
import { getMetricSeries, type MetricQuery, metricWindow, summarize } from "../../src/aws/metrics.ts";
import { scenario } from "../../src/sim/mod.ts";

const HOUR = 3_600_000;

const pool = (id: string, metric: string, stat = "Maximum"): MetricQuery => ({
  namespace: "AWS/WorkSpaces",
  metric,
  dimensions: { "WorkSpaces pool ID": id },
  stat,
});
const fleet = (name: string, metric: string, stat = "Maximum"): MetricQuery => ({
  namespace: "AWS/AppStream",
  metric,
  dimensions: { Fleet: name },
  stat,
});

Deno.test("pool metrics follow the pool's capacity and use the 'WorkSpaces pool ID' dimension", async () => {
  const estate = scenario()
    .pool("wspool-full00001", { desired: 10, actual: 10, active: 10, available: 0 })
    .pool("wspool-stopped01", { state: "STOPPED", desired: 5 })
    .build();
  const { aws } = awsOn(estate);
  const metrics = [
    "DesiredUserSessionCapacity",
    "ActualUserSessionCapacity",
    "ActiveUserSessionCapacity",
    "AvailableUserSessionCapacity",
    "PendingUserSessionCapacity",
    "UserSessionsCapacityUtilization",
  ];
  const r = await getMetricSeries(
    aws,
    "us-east-1",
    [
      ...metrics.map((m) => pool("wspool-full00001", m)),
      pool("wspool-stopped01", "ActualUserSessionCapacity"),
      { ...pool("wspool-full00001", "UserSessionsCapacityUtilization"), dimensions: { PoolId: "wspool-full00001" } },
    ],
    metricWindow(24 * HOUR, 3600),
  );
  assert.deepEqual(r.errors, []);
  assert.equal(r.requests, 1);
  const peaks = r.series.map((s) => summarize(s).peak);
  assert.deepEqual(peaks.slice(0, 6), [10, 10, 10, 0, 0, 100]);
  assert.equal(peaks[6], null, "a stopped pool publishes nothing");
  assert.equal(peaks[7], null, "any other dimension name finds nothing");
});

Deno.test("fleet metrics follow AWS's definitions and the configured capacity errors", async () => {
  const estate = scenario()
    .fleet("busy", { desired: 10, running: 4, inUse: 4, available: 0, insufficientCapacityErrorsPerDay: 20 })
    .fleet("quiet", { desired: 2, inUse: 1 })
    .fleet("off", { state: "STOPPED" })
    .build();
  const { aws } = awsOn(estate);
  const r = await getMetricSeries(
    aws,
    "us-east-1",
    [
      fleet("busy", "DesiredCapacity"),
      fleet("busy", "RunningCapacity"),
      fleet("busy", "InUseCapacity"),
      fleet("busy", "AvailableCapacity"),
      fleet("busy", "ActualCapacity"),
      fleet("busy", "PendingCapacity"),
      fleet("busy", "CapacityUtilization"),
      fleet("busy", "InsufficientCapacityError", "Sum"),
      fleet("quiet", "InsufficientCapacityError", "Sum"),
      fleet("quiet", "CapacityUtilization"),
      fleet("off", "RunningCapacity"),
    ],
    metricWindow(24 * HOUR, 3600),
  );
  assert.deepEqual(r.errors, []);
  const s = r.series.map((x) => summarize(x));
  assert.deepEqual(s.slice(0, 7).map((x) => x.peak), [10, 4, 4, 0, 4, 6, 100]);
  // The window is widened to whole hours at both ends, so one hour of the day may count twice.
  assert.ok(s[7].sum! >= 20 && s[7].sum! <= 23, `a day's errors fall in any 24-hour window (got ${s[7].sum})`);
  assert.equal(s[8].sum, 0);
  assert.equal(s[9].peak, 50);
  assert.equal(s[10].count, 0, "a stopped fleet publishes nothing");
});

Deno.test("pool sessions: the active users by default, paged 20 at a time (Limit ≤ 50), unknown pool is not found", async () => {
  const estate = scenario()
    .pool("wspool-big000001", { desired: 60, actual: 60, active: 45 })
    .pool("wspool-mixed0001", {
      desired: 4,
      active: 2,
      sessions: [{ user: "ann", connected: false, startedHoursAgo: 3 }, { user: "bob" }],
    })
    .build();
  const { sim, aws } = awsOn(estate);
  const all = await collect(
    aws,
    "workspaces",
    "DescribeWorkspacesPoolSessions",
    { PoolId: "wspool-big000001" },
    "Sessions",
    {
      region: "us-east-1",
    },
  );
  assert.equal(all.items.length, 45);
  assert.equal(sim.count("workspaces", "DescribeWorkspacesPoolSessions"), 3);
  assert.ok(all.items.every((s) => s.ConnectionState === "CONNECTED" && s.PoolId === "wspool-big000001"));
  const mixed = await aws.call("workspaces", "DescribeWorkspacesPoolSessions", { PoolId: "wspool-mixed0001" }, {
    region: "us-east-1",
  });
  assert.deepEqual(mixed.Sessions?.map((s) => [s.UserId, s.ConnectionState]), [["ann", "NOT_CONNECTED"], [
    "bob",
    "CONNECTED",
  ]]);
  await assert.rejects(
    aws.call("workspaces", "DescribeWorkspacesPoolSessions", { PoolId: "wspool-big000001", Limit: 51 }, {
      region: "us-east-1",
    }),
  );
  await assert.rejects(
    aws.call("workspaces", "DescribeWorkspacesPoolSessions", { PoolId: "wspool-nothere00" }, { region: "us-east-1" }),
    /could not be found/,
  );
});

Deno.test("Directory Service: d- directories with their stage, one call for many ids, wsd- ids rejected", async () => {
  const estate = scenario()
    .directory("d-1111111111", { name: "corp.example.com" })
    .directory("d-2222222222", { type: "SIMPLE_AD", stage: "Impaired", stageReason: "DNS unreachable" })
    .directory("wsd-abcdefghi", { workspaceType: "POOLS" })
    .build();
  const { aws } = awsOn(estate);
  const o = { region: "us-east-1" };
  const all = await collect(aws, "ds", "DescribeDirectories", {}, "DirectoryDescriptions", o);
  assert.deepEqual(all.items.map((d) => [d.DirectoryId, d.Stage, d.Type]), [
    ["d-1111111111", "Active", "ADConnector"],
    ["d-2222222222", "Impaired", "SimpleAD"],
  ], "a WorkSpaces-managed wsd- directory is not in Directory Service");
  const two = await aws.call("ds", "DescribeDirectories", { DirectoryIds: ["d-2222222222", "d-1111111111"] }, o);
  assert.equal(two.DirectoryDescriptions?.[0].StageReason, "DNS unreachable");
  await assert.rejects(
    aws.call("ds", "DescribeDirectories", { DirectoryIds: ["d-9999999999"] }, o),
    (e: Error) => e.name === "AwsCallError" && /does not exist/.test(e.message),
  );
  await assert.rejects(aws.call("ds", "DescribeDirectories", { DirectoryIds: ["wsd-abcdefghi"] }, o), /pattern/);
});

Deno.test("scaling activities: newest first, MaxResults ≤ 50, filtered by resource and dimension", async () => {
  const estate = scenario()
    .fleet("apps", {
      scalingActivities: [
        { status: "Successful", hoursAgo: 30 },
        { status: "Failed", hoursAgo: 2 },
        { status: "InProgress", hoursAgo: 0.1 },
      ],
    })
    .fleet("other", {
      scalingActivities: Array.from({ length: 60 }, (_, i) => ({ status: "Successful", hoursAgo: i })),
    })
    .build();
  const { sim, aws } = awsOn(estate);
  const o = { region: "us-east-1" };
  const r = await aws.call("application-autoscaling", "DescribeScalingActivities", {
    ServiceNamespace: "appstream",
    ResourceId: "fleet/apps",
    ScalableDimension: "appstream:fleet:DesiredCapacity",
  }, o);
  assert.deepEqual(r.ScalingActivities?.map((a) => a.StatusCode), ["InProgress", "Failed", "Successful"]);
  assert.equal(r.ScalingActivities?.[0].EndTime, undefined, "an activity in progress has not ended");
  const many = await collect(
    aws,
    "application-autoscaling",
    "DescribeScalingActivities",
    {
      ServiceNamespace: "appstream",
      ResourceId: "fleet/other",
    },
    "ScalingActivities",
    o,
  );
  assert.equal(many.items.length, 60);
  assert.equal(sim.count("application-autoscaling", "DescribeScalingActivities"), 3);
  const none = await aws.call("application-autoscaling", "DescribeScalingActivities", {
    ServiceNamespace: "appstream",
    ResourceId: "fleet/unknown",
  }, o);
  assert.deepEqual(none.ScalingActivities, []);
  await assert.rejects(
    aws.call(
      "application-autoscaling",
      "DescribeScalingActivities",
      { ServiceNamespace: "appstream", MaxResults: 51 },
      o,
    ),
  );
});

Deno.test("DescribeAlarms: metric alarms only unless asked, state filter, pages of MaxRecords", async () => {
  let b = scenario()
    .alarm("ws-failures", { namespace: "AWS/WorkSpaces", metric: "ConnectionFailure" })
    .alarm("ok-alarm", { state: "OK" })
    .alarm("composite-euc", { compositeRule: 'ALARM("ws-failures")' });
  for (let i = 0; i < 7; i++) b = b.alarm(`cpu-${i}`, { namespace: "AWS/EC2", metric: "CPUUtilization" });
  const { sim, aws } = awsOn(b.build());
  const o = { region: "us-east-1" };
  const firing = await collect(
    aws,
    "cloudwatch",
    "DescribeAlarms",
    { StateValue: "ALARM", MaxRecords: 3 },
    "MetricAlarms",
    o,
  );
  assert.equal(firing.items.length, 8);
  assert.equal(sim.count("monitoring", "DescribeAlarms"), 3);
  assert.ok(firing.items.every((a) => a.StateValue === "ALARM" && a.StateUpdatedTimestamp instanceof Date));
  const composite = await aws.call("cloudwatch", "DescribeAlarms", { AlarmTypes: ["CompositeAlarm"] }, o);
  assert.deepEqual(composite.CompositeAlarms?.map((a) => a.AlarmName), ["composite-euc"]);
  assert.equal(composite.MetricAlarms, undefined);
});

Deno.test("snapshots: explicit ones, a running desktop's default, none for a desktop that never ran", async () => {
  const at = new Date(Date.UTC(2025, 0, 1, 6));
  const estate = scenario()
    .workspace("ws-snap00001", { snapshots: { restore: [at], rebuild: [] } })
    .workspace("ws-avail0001", { lastConnected: new Date(Date.now() - 2 * HOUR) })
    .workspace("ws-broken001", { state: "ERROR" })
    .build();
  const { aws } = awsOn(estate);
  const o = { region: "us-east-1" };
  const snap = await aws.call("workspaces", "DescribeWorkspaceSnapshots", { WorkspaceId: "ws-snap00001" }, o);
  assert.deepEqual(snap.RestoreSnapshots?.map((s) => s.SnapshotTime?.getTime()), [at.getTime()]);
  assert.deepEqual(snap.RebuildSnapshots, []);
  const avail = await aws.call("workspaces", "DescribeWorkspaceSnapshots", { WorkspaceId: "ws-avail0001" }, o);
  assert.equal(avail.RestoreSnapshots?.length, 1);
  const broken = await aws.call("workspaces", "DescribeWorkspaceSnapshots", { WorkspaceId: "ws-broken001" }, o);
  assert.deepEqual(broken.RestoreSnapshots, []);
  await assert.rejects(aws.call("workspaces", "DescribeWorkspaceSnapshots", { WorkspaceId: "ws-nothere01" }, o));
});
