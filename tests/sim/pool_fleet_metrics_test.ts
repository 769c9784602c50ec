import assert from "node:assert/strict";
import { Aws } from "../../src/aws/clients.ts";
import { collect } from "../../src/aws/paginate.ts";
import { getMetricSeries, type MetricQuery, metricWindow, summarize } from "../../src/aws/metrics.ts";
import { type Estate, scenario, Simulator } from "../../src/sim/mod.ts";

const HOUR = 3_600_000;

function awsOn(estate: Estate) {
  const sim = new Simulator(estate);
  const aws = new Aws({
    requestHandler: sim.handler,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "x" },
    region: "us-east-1",
    userAgent: "test",
  });
  return { sim, aws };
}

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
