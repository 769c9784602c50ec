import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

type Finding = { severity: string; title: string; detail: string; recommendation: string; resource_id: string | null };
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };
type Body = {
  status: string;
  target_id: string;
  target_type: string;
  target_kind: string;
  region: string;
  findings: Finding[];
  signals: Record<string, unknown>;
  errors: Err[];
  notes: string[];
};

const HOUR = 3_600_000;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

async function diagnose(estate: Parameters<typeof connect>[0], args: Record<string, unknown>) {
  const h = await connect(estate);
  try {
    const { body, result } = await h.call("diagnose_workspace_connectivity", args);
    return { body: body as unknown as Body, result, sim: h.sim };
  } finally {
    await h.close();
  }
}

const titled = (b: Body, re: RegExp) => b.findings.find((f) => re.test(f.title));

Deno.test("a desktop in ERROR is unhealthy, shows its error and, with no snapshot, says to recreate it", async () => {
  const { body } = await diagnose(
    scenario().workspace("ws-broken001", {
      state: "ERROR",
      user: "wei.chen",
      errorCode: "DomainJoinFailed",
      errorMessage: "The domain could not be contacted.",
    }).build(),
    { workspace_id: "ws-broken001" },
  );
  assert.equal(body.status, "unhealthy");
  assert.equal(body.target_type, "Amazon WorkSpaces Personal");
  assert.equal(body.target_kind, "workspace");
  assert.equal(body.findings[0].severity, "critical", "critical findings come first");
  assert.match(body.findings[0].title, /ERROR/);
  assert.match(body.findings[0].detail, /DomainJoinFailed: The domain could not be contacted/);
  assert.match(body.findings[0].recommendation, /recreate/);
  assert.equal(body.signals.error_code, "DomainJoinFailed");
  assert.equal(body.signals.last_restore_snapshot, null);
  assert.ok(titled(body, /No snapshot to restore/));
  for (let i = 1; i < body.findings.length; i++) {
    const rank = { critical: 0, warning: 1, info: 2 } as Record<string, number>;
    assert.ok(rank[body.findings[i - 1].severity] <= rank[body.findings[i].severity], "ranked critical first");
  }
});

Deno.test("desktop states: ERROR/UNHEALTHY/IMPAIRED critical, STOPPED/SUSPENDED warning, AVAILABLE healthy, others transitional", async () => {
  const cases = [
    ["UNHEALTHY", "unhealthy", "critical", /reboot_workspaces/],
    ["IMPAIRED", "unhealthy", "critical", /reboot_workspaces/],
    ["STOPPED", "degraded", "warning", /start_workspaces/],
    ["SUSPENDED", "degraded", "warning", /start_workspaces/],
    ["AVAILABLE", "healthy", "info", /Nothing to do/],
    ["REBOOTING", "healthy", "info", /Wait/],
    ["MAINTENANCE", "healthy", "info", /Wait/],
  ] as const;
  let b = scenario();
  cases.forEach(([state], i) => {
    b = b.workspace(`ws-state000${i}`, { state, lastConnected: ago(1), connectionState: "DISCONNECTED" });
  });
  const h = await connect(b.build());
  try {
    for (const [i, [state, status, severity, advice]] of cases.entries()) {
      const { body } = await h.call("diagnose_workspace_connectivity", { workspace_id: `ws-state000${i}` });
      const d = body as unknown as Body;
      assert.equal(d.status, status, state);
      const f = titled(d, new RegExp(`WorkSpace is ${state}`))!;
      assert.equal(f.severity, severity, state);
      assert.match(f.recommendation, advice, state);
      if (state === "REBOOTING") assert.match(f.title, /transitional/);
    }
  } finally {
    await h.close();
  }
});

Deno.test("a troubled desktop with a snapshot gets the restore point; a healthy one is not nagged about it", async () => {
  const at = new Date(Date.now() - 5 * HOUR);
  const estate = scenario()
    .workspace("ws-sick00001", {
      state: "UNHEALTHY",
      lastConnected: ago(1),
      snapshots: { restore: [at], rebuild: [at] },
    })
    .workspace("ws-fine00001", { lastConnected: ago(1), snapshots: { restore: [at], rebuild: [at] } })
    .build();
  const h = await connect(estate);
  try {
    const sick = (await h.call("diagnose_workspace_connectivity", { workspace_id: "ws-sick00001" }))
      .body as unknown as Body;
    assert.equal(sick.signals.last_restore_snapshot, at.toISOString());
    const restore = titled(sick, /restore snapshot is available/)!;
    assert.match(restore.recommendation, /restore_workspace/);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaceSnapshots"), 1, "snapshots are read once");
    const fine = (await h.call("diagnose_workspace_connectivity", { workspace_id: "ws-fine00001" }))
      .body as unknown as Body;
    assert.equal(fine.status, "healthy");
    assert.equal(titled(fine, /snapshot/), undefined);
    assert.equal(fine.signals.last_rebuild_snapshot, at.toISOString());
  } finally {
    await h.close();
  }
});

Deno.test("connection failures: a few are a warning, most attempts failing is critical, none is no finding", async () => {
  const estate = scenario()
    // 1 failure + 1 success at 08:00 each day: 1 of 2 attempts, too few attempts for the ratio rule.
    .workspace("ws-flaky0001", {
      lastConnected: ago(0.5),
      protocols: ["PCOIP"],
      usage: { hoursPerDay: 8, days: "daily", failuresPerDay: 1 },
    })
    // Refused every morning, 5 times, never in.
    .workspace("ws-locked001", {
      lastConnected: ago(3),
      protocols: ["PCOIP"],
      usage: { hoursPerDay: 0, days: "daily", failuresPerDay: 5 },
    })
    .workspace("ws-happy0001", {
      lastConnected: ago(0.5),
      protocols: ["PCOIP"],
      usage: { hoursPerDay: 8, days: "daily" },
    })
    // Many attempts, a few failures: below the critical ratio.
    .workspace("ws-busy00001", { lastConnected: ago(0.1), protocols: ["PCOIP"] })
    .metric(
      "AWS/WorkSpaces",
      "ConnectionAttempt",
      { WorkspaceId: "ws-busy00001" },
      (t) => (t % HOUR === 0 ? 2 : undefined),
    )
    .metric(
      "AWS/WorkSpaces",
      "ConnectionFailure",
      { WorkspaceId: "ws-busy00001" },
      (t) => t % (6 * HOUR) === 0 ? 1 : undefined,
    )
    .build();
  const h = await connect(estate);
  try {
    const flaky = (await h.call("diagnose_workspace_connectivity", { workspace_id: "ws-flaky0001" }))
      .body as unknown as Body;
    const f1 = titled(flaky, /connection failure/)!;
    assert.equal(f1.severity, "warning");
    assert.match(f1.title, /1 connection failure in 24 h \(1\/2 attempts\)/);
    assert.equal(flaky.status, "degraded");
    assert.equal(flaky.signals.connection_failures, 1);
    assert.equal(flaky.signals.connection_attempts, 2);

    const locked = (await h.call("diagnose_workspace_connectivity", { workspace_id: "ws-locked001" }))
      .body as unknown as Body;
    const f2 = titled(locked, /Most connection attempts fail/)!;
    assert.equal(f2.severity, "critical");
    assert.match(f2.recommendation, /4195/);
    assert.equal(locked.signals.failure_ratio, 1);

    const busy = (await h.call("diagnose_workspace_connectivity", { workspace_id: "ws-busy00001" }))
      .body as unknown as Body;
    const f3 = titled(busy, /connection failure/)!;
    assert.equal(f3.severity, "warning", "a low failure ratio stays a warning however many attempts");
    assert.ok((busy.signals.connection_attempts as number) >= 48);

    const happy = (await h.call("diagnose_workspace_connectivity", { workspace_id: "ws-happy0001" }))
      .body as unknown as Body;
    assert.equal(titled(happy, /fail/), undefined);
    assert.equal(happy.signals.connection_failures, 0);
    assert.equal(happy.status, "healthy");
  } finally {
    await h.close();
  }
});

Deno.test("connection status: connected now, never connected, and not for weeks", async () => {
  const estate = scenario()
    .workspace("ws-conn00001", { connectionState: "CONNECTED", lastConnected: ago(0.01) })
    .workspace("ws-never0001", {})
    .workspace("ws-away00001", { lastConnected: ago(20) })
    .workspace("ws-recent001", { lastConnected: ago(2) })
    .build();
  const h = await connect(estate);
  try {
    const get = async (id: string) =>
      (await h.call("diagnose_workspace_connectivity", { workspace_id: id })).body as unknown as Body;
    const conn = await get("ws-conn00001");
    assert.equal(titled(conn, /connected right now/)?.severity, "info");
    assert.equal(conn.signals.connection_state, "CONNECTED");
    const never = await get("ws-never0001");
    const n = titled(never, /ever connected/)!;
    assert.equal(n.severity, "warning");
    assert.match(n.recommendation, /registration code/);
    assert.equal(never.signals.last_known_user_connection, null);
    const away = await get("ws-away00001");
    assert.equal(titled(away, /Last connection 20 days ago/)?.severity, "info");
    assert.equal(away.signals.days_since_last_connection, 20);
    const recent = await get("ws-recent001");
    assert.equal(titled(recent, /Last connection/), undefined, "a recent connection is not a finding");
    assert.equal(titled(recent, /ever connected/), undefined);
  } finally {
    await h.close();
  }
});

Deno.test("the directory check: Impaired and deregistered directories are critical; a wsd- directory skips Directory Service", async () => {
  const estate = scenario()
    .directory("d-1234567890", { stage: "Impaired", stageReason: "DNS servers unreachable" })
    .directory("d-abcdef0123", { state: "DEREGISTERED" })
    .directory("wsd-abc123def", { workspaceType: "PERSONAL", type: "CUSTOMER_MANAGED" })
    .workspace("ws-impaired1", {
      directory: "d-1234567890",
      lastConnected: ago(1),
      protocols: ["PCOIP"],
      usage: { hoursPerDay: 0, days: "daily", failuresPerDay: 4 },
    })
    .workspace("ws-dereg0001", { directory: "d-abcdef0123", lastConnected: ago(1) })
    .workspace("ws-managed01", { directory: "wsd-abc123def", lastConnected: ago(1) })
    .build();
  const h = await connect(estate);
  try {
    const impaired = (await h.call("diagnose_workspace_connectivity", { workspace_id: "ws-impaired1" }))
      .body as unknown as Body;
    assert.equal(impaired.status, "unhealthy");
    const f = titled(impaired, /Impaired/)!;
    assert.equal(f.severity, "critical");
    assert.equal(f.resource_id, "d-1234567890");
    assert.match(f.detail, /DNS servers unreachable/);
    assert.equal(impaired.signals.directory_stage, "Impaired");
    assert.equal(impaired.signals.directory_registration_state, "REGISTERED");
    const failures = titled(impaired, /Most connection attempts fail/)!;
    assert.match(failures.recommendation, /^Likely cause: Directory Service reports d-1234567890 as Impaired/);

    const dereg = (await h.call("diagnose_workspace_connectivity", { workspace_id: "ws-dereg0001" }))
      .body as unknown as Body;
    assert.equal(titled(dereg, /DEREGISTERED/)?.severity, "critical");
    assert.match(titled(dereg, /DEREGISTERED/)!.recommendation, /Register/);

    const dsCalls = h.sim.count("ds", "DescribeDirectories");
    assert.equal(dsCalls, 2, "one Directory Service call per d- directory diagnosed");
    const managed = (await h.call("diagnose_workspace_connectivity", { workspace_id: "ws-managed01" }))
      .body as unknown as Body;
    assert.equal(
      h.sim.count("ds", "DescribeDirectories"),
      dsCalls,
      "a wsd- directory is never sent to Directory Service",
    );
    assert.equal(managed.signals.directory_stage, "N/A (WorkSpaces-managed)");
    assert.equal(titled(managed, /WorkSpaces-managed/)?.severity, "info");
    assert.equal(managed.status, "healthy");
  } finally {
    await h.close();
  }
});

Deno.test("one diagnosis costs one GetMetricData request and six calls in all", async () => {
  const { body, sim } = await diagnose(
    scenario().workspace("ws-count0001", {
      lastConnected: ago(1),
      protocols: ["PCOIP"],
      usage: { failuresPerDay: 2, days: "daily" },
    })
      .build(),
    { workspace_id: "ws-count0001", lookback_hours: 168 },
  );
  assert.deepEqual(body.errors, []);
  assert.equal(sim.count("monitoring", "GetMetricData"), 1);
  const gmd = sim.calls.find((c) => c.operation === "GetMetricData")!.params as {
    MetricDataQueries: {
      MetricStat: { Metric: { MetricName: string; Dimensions: { Name: string }[] }; Stat: string };
    }[];
  };
  assert.deepEqual(gmd.MetricDataQueries.map((q) => q.MetricStat.Metric.MetricName), [
    "ConnectionAttempt",
    "ConnectionFailure",
  ]);
  assert.ok(gmd.MetricDataQueries.every((q) => q.MetricStat.Stat === "Sum"));
  assert.equal(gmd.MetricDataQueries[0].MetricStat.Metric.Dimensions[0].Name, "WorkspaceId");
  assert.deepEqual(
    sim.calls.map((c) => c.operation).sort(),
    [
      "DescribeDirectories",
      "DescribeWorkspaceDirectories",
      "DescribeWorkspaceSnapshots",
      "DescribeWorkspaces",
      "DescribeWorkspacesConnectionStatus",
      "GetMetricData",
    ],
  );
  assert.equal(body.signals.connection_failures, 14, "a week of daily failures");
});

Deno.test("an unknown desktop is not_found after one call", async () => {
  const { body, result, sim } = await diagnose(scenario().workspace("ws-other0001").build(), {
    workspace_id: "ws-nothere01",
  });
  assert.ok(!result.isError);
  assert.equal(body.status, "not_found");
  assert.match(body.findings[0].recommendation, /region/);
  assert.equal(sim.calls.length, 1);
});

Deno.test("Directory Service denied: the rest is answered and the error names ds:DescribeDirectories and tier 0", async () => {
  const sim = new Simulator(
    scenario().directory("d-1234567890", {}).workspace("ws-denied001", { state: "STOPPED", directory: "d-1234567890" })
      .build(),
  );
  sim.inject({ kind: "access-denied", service: "ds", operation: "DescribeDirectories" });
  const { body, result } = await diagnose(sim, { workspace_id: "ws-denied001" });
  assert.ok(!result.isError);
  assert.equal(body.status, "degraded", "the STOPPED finding still decides");
  assert.equal(body.errors.length, 1);
  const e = body.errors[0];
  assert.equal(e.code, "AccessDenied");
  assert.equal(e.operation, "DescribeDirectories");
  assert.match(e.hint, /ds:DescribeDirectories/);
  assert.match(e.hint, /tier0-diagnostics/);
  assert.equal(body.signals.directory_stage, null);
  assert.equal(body.signals.directory_registration_state, "REGISTERED");
});

Deno.test("the desktop itself denied: status unknown, the other evidence still shown", async () => {
  const sim = new Simulator(
    scenario().workspace("ws-hidden001", {
      lastConnected: ago(1),
      protocols: ["PCOIP"],
      usage: { failuresPerDay: 3, days: "daily" },
    })
      .build(),
  );
  sim.inject({ kind: "access-denied", service: "workspaces", operation: "DescribeWorkspaces" });
  const { body, result } = await diagnose(sim, { workspace_id: "ws-hidden001" });
  assert.ok(!result.isError);
  assert.equal(body.status, "unknown");
  assert.deepEqual(body.errors.map((e) => e.operation), ["DescribeWorkspaces"]);
  assert.equal(body.signals.connection_failures, 3);
  assert.equal(titled(body, /Most connection attempts fail/)?.severity, "critical");
  assert.match(body.notes.join(" "), /could not be read/);
});

Deno.test("throttled once, the SDK retries and the diagnosis is complete", async () => {
  const sim = new Simulator(scenario().workspace("ws-throttle1", { lastConnected: ago(1) }).build());
  sim.inject({ kind: "throttle", service: "workspaces", operation: "DescribeWorkspacesConnectionStatus", times: 1 });
  const { body } = await diagnose(sim, { workspace_id: "ws-throttle1" });
  assert.deepEqual(body.errors, []);
  assert.equal(body.signals.connection_state, "DISCONNECTED");
  assert.equal(sim.count("workspaces", "DescribeWorkspacesConnectionStatus"), 2);
});

Deno.test("expired credentials everywhere: an isError result, not a diagnosis", async () => {
  const sim = new Simulator(scenario().workspace("ws-expired01").build());
  sim.inject({ kind: "expired-token" });
  const { body, result } = await diagnose(sim, { workspace_id: "ws-expired01" });
  assert.equal(result.isError, true);
  assert.equal((body as unknown as { error: { code: string } }).error.code, "ExpiredCredentials");
  assert.equal(sim.calls.length, 1, "no further calls once the credentials are known to be expired");
});

Deno.test("invalid ids and lookbacks are refused before any AWS call", async () => {
  const h = await connect(scenario().workspace("ws-valid0001").build());
  try {
    for (
      const args of [
        { workspace_id: "ws-ABC12345" },
        { workspace_id: "ws-abc" },
        { workspace_id: "wspool-abc123def" },
        { workspace_id: "ws-valid0001; drop" },
        { workspace_id: "ws-valid0001", lookback_hours: 0 },
        { workspace_id: "ws-valid0001", lookback_hours: 169 },
        { workspace_id: "ws-valid0001", region: "mars-1" },
        { workspaceid: "ws-valid0001" },
      ]
    ) {
      const { result } = await h.call("diagnose_workspace_connectivity", args);
      assert.equal(result.isError, true, JSON.stringify(args));
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});

Deno.test("a DCV (WSP) desktop: connection metrics are not published, never 'no attempts' or zero", async () => {
  const { body } = await diagnose(
    scenario().workspace("ws-dcv000001", {
      protocols: ["WSP"],
      lastConnected: ago(1),
      usage: { hoursPerDay: 8, days: "daily", failuresPerDay: 3 },
    }).build(),
    { workspace_id: "ws-dcv000001" },
  );
  assert.equal(body.signals.connection_attempts, null);
  assert.equal(body.signals.connection_failures, null);
  assert.deepEqual(body.signals.protocols, ["WSP"]);
  assert.match(
    String(body.signals.connection_metrics_not_published),
    /not published for this resource \(DCV\/WSP desktop\)/,
  );
  assert.ok(body.notes.some((n) => /not published for this resource \(DCV\/WSP desktop\).*PCoIP/.test(n)));
  assert.ok(!body.notes.some((n) => /No connection attempts were recorded/.test(n)));
  assert.ok(!titled(body, /connection failure|connection attempts fail/i));
});

Deno.test("a PCoIP desktop nobody tried to reach: 'no attempts' is a fact there", async () => {
  const { body } = await diagnose(
    scenario().workspace("ws-pcoip0001", { protocols: ["PCOIP"], lastConnected: ago(1) }).build(),
    { workspace_id: "ws-pcoip0001" },
  );
  assert.equal(body.signals.connection_metrics_not_published, null);
  assert.equal(body.signals.connection_attempts, 0);
  assert.ok(body.notes.some((n) => /No connection attempts were recorded/.test(n)));
});
