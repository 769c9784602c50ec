import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";
import { likelyAutoscaling } from "../../../src/tools/diagnostics/get_euc_active_alarms.ts";

type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };
type Alarm = {
  name: string;
  region: string;
  service: string;
  namespace: string;
  metric_name: string | null;
  dimensions: Record<string, string>;
  state_reason: string | null;
  state_since: string | null;
  actions_enabled: boolean | null;
  likely_autoscaling: boolean;
};
type Alarms = {
  region: string;
  regions: string[];
  total_account_alarms_in_alarm: number;
  euc_alarms_in_alarm: number;
  likely_incidents: number;
  alarms: Alarm[];
  errors: Err[];
  notes: string[];
};

// ---------------------------------------------------------------- get_euc_active_alarms

Deno.test("target-tracking and scale-in/out alarm names are auto-scaling; incident names are not", () => {
  for (
    const name of [
      "TargetTracking-fleet/finance-apps-AlarmHigh-5d1e8a2c-7b3f-4c6d-9e0a-1f2b3c4d5e6f",
      "TargetTracking-fleet/emea-apps-AlarmLow-9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
      "TargetTracking-workspacespool/wspool-abc123def-AlarmLow-0a1b2c3d",
      "marketing-fleet-scale-out",
      "marketing-fleet-ScaleIn",
      "appstream-scaling-alarm",
    ]
  ) assert.ok(likelyAutoscaling(name), name);
  for (const name of ["finance-apps-insufficient-capacity", "ContactCenter-pool-full", "TargetTracking-report"]) {
    assert.ok(!likelyAutoscaling(name), name);
  }
});

Deno.test("EUC alarms in ALARM: namespaces and metric math kept, others counted but not listed, incidents first", async () => {
  const estate = scenario()
    .alarm("TargetTracking-fleet/apps-AlarmHigh-1a2b3c4d", {
      namespace: "AWS/AppStream",
      metric: "CapacityUtilization",
      dimensions: { Fleet: "apps" },
    })
    .alarm("pool-full", {
      namespace: "AWS/WorkSpaces",
      metric: "UserSessionsCapacityUtilization",
      dimensions: { "WorkSpaces pool ID": "wspool-abc123def" },
      reason: "Threshold Crossed: 100 >= 95",
      sinceHoursAgo: 2,
    })
    .alarm("portal-sessions", {
      namespace: "AWS/WorkSpacesWeb",
      metric: "SessionFailure",
      dimensions: { PortalId: "p1" },
    })
    .alarm("failure-ratio", {
      math: {
        expression: "m1/m2*100",
        metrics: [
          {
            namespace: "AWS/WorkSpaces",
            metric: "ConnectionFailure",
            dimensions: { WorkspaceId: "ws-1" },
            stat: "Sum",
          },
          {
            namespace: "AWS/WorkSpaces",
            metric: "ConnectionAttempt",
            dimensions: { WorkspaceId: "ws-1" },
            stat: "Sum",
          },
        ],
      },
      actionsEnabled: false,
    })
    .alarm("ec2-cpu", { namespace: "AWS/EC2", metric: "CPUUtilization" })
    .alarm("ok-one", { state: "OK", namespace: "AWS/WorkSpaces", metric: "ConnectionFailure" })
    .alarm("composite-euc", { compositeRule: 'ALARM("pool-full")' })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("get_euc_active_alarms");
    const r = body as unknown as Alarms;
    assert.equal(r.total_account_alarms_in_alarm, 5, "metric alarms in ALARM (composite and OK excluded)");
    assert.equal(r.euc_alarms_in_alarm, 4);
    assert.equal(r.likely_incidents, 3);
    assert.deepEqual(r.alarms.map((a) => a.name).sort(), [
      "TargetTracking-fleet/apps-AlarmHigh-1a2b3c4d",
      "failure-ratio",
      "pool-full",
      "portal-sessions",
    ]);
    assert.equal(r.alarms.at(-1)!.likely_autoscaling, true, "auto-scaling alarms come last");
    const by = new Map(r.alarms.map((a) => [a.name, a]));
    const pool = by.get("pool-full")!;
    assert.equal(pool.service, "Amazon WorkSpaces Pools");
    assert.deepEqual(pool.dimensions, { "WorkSpaces pool ID": "wspool-abc123def" });
    assert.equal(pool.state_reason, "Threshold Crossed: 100 >= 95");
    assert.ok(Math.abs(Date.parse(pool.state_since!) - (Date.now() - 2 * 3_600_000)) < 60_000);
    assert.equal(pool.region, "us-east-1");
    const math = by.get("failure-ratio")!;
    assert.equal(math.service, "Amazon WorkSpaces Personal");
    assert.equal(math.namespace, "AWS/WorkSpaces");
    assert.equal(math.metric_name, "ConnectionFailure, ConnectionAttempt");
    assert.equal(math.actions_enabled, false);
    assert.equal(by.get("portal-sessions")!.service, "Amazon WorkSpaces Secure Browser");
    assert.equal(by.get("TargetTracking-fleet/apps-AlarmHigh-1a2b3c4d")!.service, "Amazon WorkSpaces Applications");
    const params = h.sim.calls.find((c) => c.operation === "DescribeAlarms")!.params as Record<string, unknown>;
    assert.equal(params.StateValue, "ALARM");
    assert.deepEqual(params.AlarmTypes, ["MetricAlarm"]);
  } finally {
    await h.close();
  }
});

Deno.test("alarms fan out over regions, stamped with their region; one region denied leaves the other", async () => {
  let b = scenario();
  for (let i = 0; i < 130; i++) {
    b = b.alarm(`ws-failures-${String(i).padStart(3, "0")}`, { metric: "ConnectionFailure" });
  }
  b = b.inRegion("eu-west-1").alarm("TargetTracking-fleet/emea-AlarmLow-abc", {
    namespace: "AWS/AppStream",
    metric: "CapacityUtilization",
    comparison: "LessThanThreshold",
  }).inRegion("ap-southeast-2").alarm("syd-failures", {});
  const sim = new Simulator(b.build());
  sim.inject({ kind: "access-denied", service: "monitoring", region: "ap-southeast-2" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_euc_active_alarms", {
      regions: ["us-east-1", "eu-west-1", "ap-southeast-2"],
    });
    assert.ok(!result.isError);
    const r = body as unknown as Alarms;
    assert.deepEqual(r.regions, ["us-east-1", "eu-west-1", "ap-southeast-2"]);
    assert.equal(r.euc_alarms_in_alarm, 131);
    assert.equal(r.likely_incidents, 130);
    assert.equal(r.alarms.filter((a) => a.region === "eu-west-1").length, 1);
    assert.equal(r.alarms.find((a) => a.region === "eu-west-1")!.likely_autoscaling, true);
    assert.equal(sim.count("monitoring", "DescribeAlarms") - 1, 3, "us-east-1 in 2 pages of 100, eu-west-1 in 1");
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].region, "ap-southeast-2");
    assert.match(r.errors[0].hint, /cloudwatch:DescribeAlarms/);
    assert.match(r.notes.join(" "), /missing from the counts/);
  } finally {
    await h.close();
  }
});

Deno.test("alarms: throttled once is retried; a bad region is refused before any call", async () => {
  const sim = new Simulator(scenario().alarm("ws-failures", {}).build());
  sim.inject({ kind: "throttle", service: "monitoring", operation: "DescribeAlarms", times: 1 });
  const h = await connect(sim);
  try {
    const bad = await h.call("get_euc_active_alarms", { regions: ["us-east-1", "atlantis"] });
    assert.equal(bad.result.isError, true);
    assert.equal(sim.calls.length, 0);
    const r = (await h.call("get_euc_active_alarms")).body as unknown as Alarms;
    assert.deepEqual(r.errors, []);
    assert.equal(r.euc_alarms_in_alarm, 1);
  } finally {
    await h.close();
  }
});

Deno.test("a thousand alarms: the list is trimmed to the result budget, the counts stay complete", async () => {
  let b = scenario();
  for (let i = 0; i < 1000; i++) {
    b = b.alarm(`desk-${String(i).padStart(4, "0")}-connection-failures`, {
      metric: "ConnectionFailure",
      dimensions: { WorkspaceId: `ws-${String(i).padStart(8, "0")}` },
    });
  }
  const h = await connect(b.build());
  try {
    const { body } = await h.call("get_euc_active_alarms");
    const r = body as unknown as Alarms & { truncated: boolean };
    assert.equal(r.euc_alarms_in_alarm, 1000);
    assert.equal(r.truncated, true);
    assert.ok(r.alarms.length < 1000);
    assert.ok(JSON.stringify(body).length <= 80_000);
    assert.match(r.notes.join(" "), /trimmed/);
    assert.equal(h.sim.count("monitoring", "DescribeAlarms"), 10);
  } finally {
    await h.close();
  }
});

Deno.test("a metric-math alarm over only non-EUC metrics is counted but not listed; a mixed one names its EUC metric", async () => {
  const estate = scenario()
    .alarm("ec2-error-ratio", {
      math: {
        expression: "m1/m2*100",
        metrics: [
          { namespace: "AWS/EC2", metric: "StatusCheckFailed", dimensions: { InstanceId: "i-1" }, stat: "Sum" },
          { namespace: "AWS/Lambda", metric: "Invocations", dimensions: { FunctionName: "f" }, stat: "Sum" },
        ],
      },
    })
    .alarm("mixed-ratio", {
      math: {
        expression: "m1/m2*100",
        metrics: [
          { namespace: "AWS/EC2", metric: "CPUUtilization", dimensions: { InstanceId: "i-1" }, stat: "Average" },
          {
            namespace: "AWS/WorkSpaces",
            metric: "ConnectionFailure",
            dimensions: { WorkspaceId: "ws-2" },
            stat: "Sum",
          },
        ],
      },
    })
    .build();
  const h = await connect(estate);
  try {
    const r = (await h.call("get_euc_active_alarms")).body as unknown as Alarms;
    assert.deepEqual(r.errors, []);
    assert.equal(r.total_account_alarms_in_alarm, 2);
    assert.equal(r.euc_alarms_in_alarm, 1);
    assert.deepEqual(r.alarms.map((a) => a.name), ["mixed-ratio"]);
    const mixed = r.alarms[0];
    assert.equal(mixed.namespace, "AWS/WorkSpaces");
    assert.equal(mixed.metric_name, "ConnectionFailure");
    assert.deepEqual(mixed.dimensions, { WorkspaceId: "ws-2" });
  } finally {
    await h.close();
  }
});
