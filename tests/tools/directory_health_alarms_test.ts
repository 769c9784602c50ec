import assert from "node:assert/strict";
import { connect, scenario } from "../support/harness.ts";
import { Simulator } from "../../src/sim/mod.ts";
import { likelyAutoscaling } from "../../src/tools/diagnostics.ts";

type Finding = { severity: string; title: string; detail: string; recommendation: string; resource_id: string | null };
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };
type DirectoryDiagnosis = {
  target_type: string;
  target_id: string;
  status: string;
  findings: Finding[];
  signals: Record<string, unknown>;
};
type Health = {
  region: string;
  total_count: number;
  directories: DirectoryDiagnosis[];
  errors: Err[];
  notes: string[];
};
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

// ---------------------------------------------------------------- check_directory_health

Deno.test("every directory: deregistered and Impaired are unhealthy, wsd- is managed, worst first", async () => {
  const estate = scenario()
    .directory("d-1111111111", { name: "corp.example.com" })
    .directory("d-2222222222", { state: "DEREGISTERED", type: "SIMPLE_AD" })
    .directory("d-3333333333", { stage: "Impaired", stageReason: "Cannot reach the domain controllers" })
    .directory("d-4444444444", { stage: "Inoperable" })
    .directory("wsd-abcdefghi", { workspaceType: "POOLS" })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("check_directory_health");
    const r = body as unknown as Health;
    assert.equal(r.total_count, 5);
    const by = new Map(r.directories.map((d) => [d.target_id, d]));
    assert.equal(by.get("d-1111111111")!.status, "healthy");
    assert.deepEqual(by.get("d-1111111111")!.findings.map((f) => f.severity), ["info", "info"]);
    const dereg = by.get("d-2222222222")!;
    assert.equal(dereg.status, "unhealthy");
    assert.match(dereg.findings[0].title, /DEREGISTERED/);
    assert.match(dereg.findings[0].recommendation, /Register/);
    const impaired = by.get("d-3333333333")!;
    assert.equal(impaired.status, "unhealthy");
    assert.match(impaired.findings[0].detail, /Cannot reach the domain controllers/);
    assert.match(impaired.findings[0].recommendation, /service account/);
    assert.equal(impaired.signals.stage, "Impaired");
    assert.equal(by.get("d-4444444444")!.findings[0].severity, "critical");
    const managed = by.get("wsd-abcdefghi")!;
    assert.equal(managed.status, "healthy");
    assert.equal(managed.signals.stage, "N/A (WorkSpaces-managed)");
    assert.equal(managed.signals.workspace_type, "POOLS");
    assert.ok(r.directories.slice(0, 3).every((d) => d.status === "unhealthy"), "unhealthy directories first");
    assert.equal(r.directories[0].target_type, "directory");
    // One Directory Service call for every d- directory, never the wsd- one.
    assert.equal(h.sim.count("ds", "DescribeDirectories"), 1);
    const ids = (h.sim.calls.find((c) => c.operation === "DescribeDirectories")!.params as { DirectoryIds: string[] })
      .DirectoryIds;
    assert.deepEqual(ids.sort(), ["d-1111111111", "d-2222222222", "d-3333333333", "d-4444444444"]);
  } finally {
    await h.close();
  }
});

Deno.test("the directory list is paginated, and Directory Service is still asked once for all of them", async () => {
  let b = scenario();
  for (let i = 0; i < 30; i++) b = b.directory(`d-${String(i).padStart(10, "0")}`, {});
  const h = await connect(b.build());
  try {
    const r = (await h.call("check_directory_health")).body as unknown as Health;
    assert.equal(r.total_count, 30);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaceDirectories"), 2, "25 a page");
    assert.equal(h.sim.count("ds", "DescribeDirectories"), 3, "one call, its pages of 10 followed");
    assert.ok(r.directories.every((d) => d.status === "healthy"));
  } finally {
    await h.close();
  }
});

Deno.test("a directory registered in WorkSpaces but gone from Directory Service is critical; the others stay fine", async () => {
  const estate = scenario().directory("d-1111111111", {}).directory("d-5555555555", {}).build();
  estate.region("us-east-1").dsDirectories.delete("d-5555555555");
  const h = await connect(estate);
  try {
    const r = (await h.call("check_directory_health")).body as unknown as Health;
    const gone = r.directories.find((d) => d.target_id === "d-5555555555")!;
    assert.equal(gone.status, "unhealthy");
    assert.match(gone.findings[0].title, /Directory Service has no directory/);
    assert.equal(r.directories.find((d) => d.target_id === "d-1111111111")!.status, "healthy");
    assert.deepEqual(r.errors, [], "the missing id is a finding, not an error");
    // AWS fails a list with one unknown id as a whole, so the account's directories are listed instead.
    assert.equal(h.sim.count("ds", "DescribeDirectories"), 2);
  } finally {
    await h.close();
  }
});

Deno.test("one directory by id; an unknown id is not_found", async () => {
  const estate = scenario().directory("d-1111111111", { stage: "Impaired" }).directory("wsd-abcdefghi", {}).build();
  const h = await connect(estate);
  try {
    const one = (await h.call("check_directory_health", { directory_id: "d-1111111111" })).body as unknown as Health;
    assert.equal(one.directories.length, 1);
    assert.equal(one.directories[0].status, "unhealthy");
    const managed = (await h.call("check_directory_health", { directory_id: "wsd-abcdefghi" }))
      .body as unknown as Health;
    assert.equal(managed.directories[0].status, "healthy");
    const calls = h.sim.count("ds");
    const missing = (await h.call("check_directory_health", { directory_id: "d-9999999999" }))
      .body as unknown as Health;
    assert.equal(missing.directories[0].status, "not_found");
    assert.deepEqual(missing.errors, []);
    assert.equal(h.sim.count("ds"), calls + 1);
    const missingManaged = (await h.call("check_directory_health", { directory_id: "wsd-zzzzzzzzz" }))
      .body as unknown as Health;
    assert.equal(missingManaged.directories[0].status, "not_found");
    assert.equal(h.sim.count("ds"), calls + 1, "wsd- ids never reach Directory Service");
  } finally {
    await h.close();
  }
});

Deno.test("Directory Service denied: registrations are still checked; stages are null and the hint names the action", async () => {
  const sim = new Simulator(
    scenario().directory("d-1111111111", {}).directory("d-2222222222", { state: "DEREGISTERED" }).build(),
  );
  sim.inject({ kind: "access-denied", service: "ds" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("check_directory_health");
    assert.ok(!result.isError);
    const r = body as unknown as Health;
    assert.equal(r.directories.find((d) => d.target_id === "d-2222222222")!.status, "unhealthy");
    assert.ok(r.directories.every((d) => d.signals.stage === null));
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].hint, /ds:DescribeDirectories/);
    assert.match(r.errors[0].hint, /tier0-diagnostics/);
    assert.match(r.notes.join(" "), /stages are null/);
  } finally {
    await h.close();
  }
});

Deno.test("directory listing throttled once: retried; no directories at all: an empty answer with a note", async () => {
  const sim = new Simulator(scenario().directory("d-1111111111", {}).build());
  sim.inject({ kind: "throttle", service: "workspaces", operation: "DescribeWorkspaceDirectories", times: 1 });
  const h = await connect(sim);
  try {
    const r = (await h.call("check_directory_health")).body as unknown as Health;
    assert.deepEqual(r.errors, []);
    assert.equal(r.total_count, 1);
  } finally {
    await h.close();
  }
  const empty = await connect(scenario().build());
  try {
    const r = (await empty.call("check_directory_health")).body as unknown as Health;
    assert.equal(r.total_count, 0);
    assert.match(r.notes.join(" "), /No directories/);
  } finally {
    await empty.close();
  }
});

Deno.test("invalid directory ids are refused before any AWS call", async () => {
  const h = await connect(scenario().directory("d-1111111111", {}).build());
  try {
    for (const directory_id of ["d-XYZ", "d-123", "wsd-AB", "sd-1234567890", "d-1234567890 "]) {
      const { result } = await h.call("check_directory_health", { directory_id });
      assert.equal(result.isError, true, directory_id);
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});

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
