import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { type ScalingActivityOpts, Simulator } from "../../../src/sim/mod.ts";

type Finding = { severity: string; title: string; detail: string; recommendation: string; resource_id: string | null };
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };
type Body = {
  status: string;
  target_id: string;
  target_type: string;
  target_kind: string;
  findings: Finding[];
  signals: {
    state: string | null;
    capacity: { desired: number | null; running: number | null; in_use: number | null; available: number | null };
    failed_scaling_activities: number | null;
    in_progress_scaling_activities: number | null;
    scaling_activities_in_window: number | null;
    recent_scaling_activities: { status: string }[];
    insufficient_capacity_errors: number | null;
    user_sessions: Record<string, number | null> | null;
  };
  errors: Err[];
  notes: string[];
};

const titled = (b: Body, re: RegExp) => b.findings.find((f) => re.test(f.title));

async function withFleets(
  estate: Parameters<typeof connect>[0],
  fn: (d: (name: string, hours?: number) => Promise<Body>, sim: Simulator) => Promise<void>,
) {
  const h = await connect(estate);
  try {
    await fn(
      async (fleet_name, lookback_hours = 24) =>
        (await h.call("diagnose_application_fleet", { fleet_name, lookback_hours })).body as unknown as Body,
      h.sim,
    );
  } finally {
    await h.close();
  }
}

Deno.test("a running fleet with spare capacity is healthy; a stopped one is degraded and says to start it", async () => {
  const estate = scenario()
    .fleet("healthy", { desired: 4, running: 4, inUse: 1 })
    .fleet("stopped", { state: "STOPPED", desired: 2 })
    .fleet("starting", { state: "STARTING", desired: 2, running: 0 })
    .build();
  await withFleets(estate, async (diagnose) => {
    const ok = await diagnose("healthy");
    assert.equal(ok.status, "healthy");
    assert.deepEqual(ok.findings.map((f) => f.severity), ["info"]);
    assert.deepEqual(ok.signals.capacity, { desired: 4, running: 4, in_use: 1, available: 3 });
    assert.equal(ok.target_type, "Amazon WorkSpaces Applications");
    assert.equal(ok.target_kind, "fleet");
    const stopped = await diagnose("stopped");
    assert.equal(stopped.status, "degraded");
    assert.match(titled(stopped, /STOPPED/)!.recommendation, /start_application_fleet/);
    assert.equal(titled(stopped, /desired instances/), undefined, "a stopped fleet is not 'below desired'");
    const starting = await diagnose("starting");
    assert.equal(titled(starting, /STARTING/)?.severity, "info");
  });
});

Deno.test("each fleet error is critical, with advice for its code", async () => {
  const estate = scenario().fleet("broken", {
    errors: [
      { code: "IAM_SERVICE_ROLE_IS_MISSING", message: "The AmazonAppStreamServiceAccess role is missing." },
      { code: "SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES", message: "subnet-1 has no free addresses." },
    ],
  }).build();
  await withFleets(estate, async (diagnose) => {
    const d = await diagnose("broken");
    assert.equal(d.status, "unhealthy");
    const errors = d.findings.filter((f) => /Fleet error/.test(f.title));
    assert.equal(errors.length, 2);
    assert.ok(errors.every((f) => f.severity === "critical"));
    assert.match(errors[0].recommendation, /AmazonAppStreamServiceAccess/);
    assert.match(errors[1].recommendation, /free IP addresses/);
  });
});

Deno.test("exhausted capacity is critical; running below desired is a warning; an elastic fleet is not flagged", async () => {
  const estate = scenario()
    .fleet("full", { desired: 10, running: 4, inUse: 4, available: 0 })
    .fleet("spare", { desired: 4, running: 4, inUse: 3, available: 1 })
    .fleet("elastic", { fleetType: "ELASTIC", desired: 50, running: 12, inUse: 12, available: 38 })
    .fleet("multi", { desired: 2, running: 2, inUse: 8, maxSessionsPerInstance: 4 })
    .build();
  await withFleets(estate, async (diagnose) => {
    const full = await diagnose("full");
    const exhausted = titled(full, /exhausted/)!;
    assert.equal(exhausted.severity, "critical");
    assert.match(exhausted.recommendation, /update_application_fleet_capacity/);
    assert.equal(titled(full, /Only 4 of 10/)?.severity, "warning");
    const spare = await diagnose("spare");
    assert.equal(titled(spare, /exhausted/), undefined);
    assert.equal(titled(spare, /desired instances/), undefined);
    const elastic = await diagnose("elastic");
    assert.equal(elastic.status, "healthy");
    assert.match(elastic.notes.join(" "), /Elastic/);
    const multi = await diagnose("multi");
    assert.equal(titled(multi, /exhausted/)?.severity, "critical", "a multi-session fleet counts user sessions");
    assert.deepEqual(multi.signals.user_sessions, { desired: 8, actual: 8, active: 8, available: 0 });
  });
});

Deno.test("only Failed and Unfulfilled scaling counts as failure; in progress, pending and successful do not", async () => {
  const activities: ScalingActivityOpts[] = [
    { status: "InProgress", hoursAgo: 0.1 },
    { status: "Pending", hoursAgo: 0.2 },
    { status: "Successful", hoursAgo: 1 },
    { status: "Overridden", hoursAgo: 2 },
  ];
  const estate = scenario()
    .fleet("busy", { scalingActivities: activities })
    .fleet("failing", {
      scalingActivities: [
        ...activities,
        { status: "Failed", hoursAgo: 3, message: "Failed to set desired capacity: limit exceeded." },
        { status: "Unfulfilled", hoursAgo: 5 },
        { status: "Failed", hoursAgo: 30 }, // outside a 24 h window
      ],
    })
    .build();
  await withFleets(estate, async (diagnose) => {
    const busy = await diagnose("busy");
    assert.equal(busy.signals.failed_scaling_activities, 0);
    assert.equal(busy.signals.in_progress_scaling_activities, 2);
    assert.equal(titled(busy, /failed/), undefined, "scaling in progress is not a failure");
    assert.equal(titled(busy, /in progress/)?.severity, "info");
    assert.equal(busy.status, "healthy");
    const failing = await diagnose("failing");
    assert.equal(failing.signals.failed_scaling_activities, 2);
    assert.equal(failing.signals.scaling_activities_in_window, 6);
    const f = titled(failing, /2 scaling activities failed in 24 h/)!;
    assert.equal(f.severity, "warning");
    assert.match(f.detail, /limit exceeded/);
    const week = await diagnose("failing", 48);
    assert.equal(week.signals.failed_scaling_activities, 3, "a longer lookback reaches the older failure");
  });
});

Deno.test("scaling activities are paginated and paging stops once the window's start is passed", async () => {
  const hourly = (n: number): ScalingActivityOpts[] =>
    Array.from({ length: n }, (_, i) => ({ status: "Successful", hoursAgo: i * 0.25 + 0.1 }));
  const estate = scenario().fleet("scaly", { scalingActivities: hourly(200) }).build();
  await withFleets(estate, async (diagnose, sim) => {
    const day = await diagnose("scaly", 24);
    assert.equal(day.signals.scaling_activities_in_window, 96);
    assert.equal(sim.count("application-autoscaling", "DescribeScalingActivities"), 2, "2 pages of 50 reach 24 h back");
    assert.equal(day.signals.recent_scaling_activities.length, 10, "the evidence list is capped");
    const params = sim.calls.find((c) => c.operation === "DescribeScalingActivities")!.params as Record<
      string,
      unknown
    >;
    assert.equal(params.ServiceNamespace, "appstream");
    assert.equal(params.ResourceId, "fleet/scaly");
    assert.equal(params.ScalableDimension, "appstream:fleet:DesiredCapacity");
    const week = await diagnose("scaly", 168);
    assert.equal(week.signals.scaling_activities_in_window, 200);
    assert.equal(sim.count("application-autoscaling", "DescribeScalingActivities"), 2 + 4);
  });
});

Deno.test("insufficient-capacity errors are critical; none is no finding; one GetMetricData request", async () => {
  const estate = scenario()
    .fleet("turned-away", { desired: 2, running: 2, inUse: 1, insufficientCapacityErrorsPerDay: 16 })
    .fleet("calm", { desired: 2, running: 2, inUse: 1 })
    .build();
  await withFleets(estate, async (diagnose, sim) => {
    const bad = await diagnose("turned-away");
    const f = titled(bad, /refused for lack of capacity/)!;
    assert.equal(f.severity, "critical");
    assert.ok(bad.signals.insufficient_capacity_errors! >= 16 && bad.signals.insufficient_capacity_errors! <= 18);
    assert.equal(sim.count("monitoring", "GetMetricData"), 1);
    const q = (sim.calls.find((c) => c.operation === "GetMetricData")!.params as {
      MetricDataQueries: {
        MetricStat: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown }; Stat: string };
      }[];
    }).MetricDataQueries[0].MetricStat;
    assert.deepEqual(
      [q.Metric.Namespace, q.Metric.MetricName, q.Stat, q.Metric.Dimensions],
      ["AWS/AppStream", "InsufficientCapacityError", "Sum", [{ Name: "Fleet", Value: "turned-away" }]],
    );
    const calm = await diagnose("calm");
    assert.equal(titled(calm, /refused/), undefined);
    assert.equal(calm.signals.insufficient_capacity_errors, 0);
  });
});

Deno.test("an unknown fleet is not_found after one call", async () => {
  await withFleets(scenario().fleet("real").build(), async (diagnose, sim) => {
    const d = await diagnose("imaginary");
    assert.equal(d.status, "not_found");
    assert.equal(sim.calls.length, 1);
    assert.deepEqual(d.errors, []);
  });
});

Deno.test("scaling activities denied: the rest is answered, the hint names the action and tier 0", async () => {
  const sim = new Simulator(scenario().fleet("apps", { desired: 4, running: 2 }).build());
  sim.inject({ kind: "access-denied", service: "application-autoscaling", operation: "DescribeScalingActivities" });
  await withFleets(sim, async (diagnose) => {
    const d = await diagnose("apps");
    assert.equal(d.status, "degraded", "running below desired still found");
    assert.equal(d.signals.failed_scaling_activities, null, "unknown, not zero");
    assert.equal(d.errors.length, 1);
    assert.equal(d.errors[0].code, "AccessDenied");
    assert.match(d.errors[0].hint, /application-autoscaling:DescribeScalingActivities/);
    assert.match(d.errors[0].hint, /tier0-diagnostics/);
    assert.match(d.notes.join(" "), /Scaling activities were not read/);
  });
});

Deno.test("DescribeFleets throttled once: retried, complete answer", async () => {
  const sim = new Simulator(scenario().fleet("apps").build());
  sim.inject({ kind: "throttle", service: "appstream", operation: "DescribeFleets", times: 1 });
  await withFleets(sim, async (diagnose) => {
    const d = await diagnose("apps");
    assert.deepEqual(d.errors, []);
    assert.equal(d.status, "healthy");
    assert.equal(sim.count("appstream", "DescribeFleets"), 2);
  });
});

Deno.test("the AppStream fleet tool says so in its description", async () => {
  const h = await connect(scenario().build());
  try {
    const { tools } = await h.client.listTools();
    const tool = tools.find((t: { name: string }) => t.name === "diagnose_application_fleet") as {
      description?: string;
      annotations?: { readOnlyHint?: boolean };
    };
    assert.match(tool.description ?? "", /AppStream/);
    assert.equal(tool.annotations?.readOnlyHint, true);
  } finally {
    await h.close();
  }
});

Deno.test("invalid fleet names are refused before any AWS call", async () => {
  const h = await connect(scenario().fleet("apps").build());
  try {
    for (const fleet_name of ["", "-apps", "apps fleet", "apps/../x", "a".repeat(102), "apps;drop"]) {
      const { result } = await h.call("diagnose_application_fleet", { fleet_name });
      assert.equal(result.isError, true, fleet_name);
    }
    const { result } = await h.call("diagnose_application_fleet", { fleet_name: "apps", lookback_hours: 500 });
    assert.equal(result.isError, true);
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});
